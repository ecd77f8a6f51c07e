# description: correct : shutdown explicite, submit puis result()
# attendu: telecharger_tous=4, calculer_en_parallele=4
# %% telecharger_tous
import concurrent.futures
def telecharger_tous(urls, telecharger, max_workers=8):
    executeur = concurrent.futures.ThreadPoolExecutor(max_workers)
    try:
        return list(executeur.map(telecharger, urls))
    finally:
        executeur.shutdown()
# %% calculer_en_parallele
from concurrent.futures import ProcessPoolExecutor
def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    with ProcessPoolExecutor(nb_processus) as pool:
        futures = [pool.submit(fonction, v) for v in valeurs]
    return [f.result() for f in futures]
