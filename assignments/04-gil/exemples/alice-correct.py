# description: correct, submit + result() et multiprocessing.Pool
# attendu: telecharger_tous=4, calculer_en_parallele=4
# %% telecharger_tous
from concurrent.futures import ThreadPoolExecutor
def telecharger_tous(urls, telecharger, max_workers=8):
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        futures = [pool.submit(telecharger, u) for u in urls]
        return [f.result() for f in futures]
# %% calculer_en_parallele
import multiprocessing
def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    with multiprocessing.Pool(nb_processus) as pool:
        return pool.map(fonction, valeurs)
