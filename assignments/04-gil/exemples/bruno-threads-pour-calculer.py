# description: un pool de threads là où des processus sont demandés ; ordre de fin
# attendu: telecharger_tous=3, calculer_en_parallele=1.6
# %% telecharger_tous
from concurrent.futures import ThreadPoolExecutor, as_completed
def telecharger_tous(urls, telecharger, max_workers=8):
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        futures = [pool.submit(telecharger, u) for u in urls]
        return [f.result() for f in as_completed(futures)]
# %% calculer_en_parallele
from concurrent.futures import ThreadPoolExecutor
def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    with ThreadPoolExecutor(nb_processus) as pool:
        return list(pool.map(fonction, valeurs))
