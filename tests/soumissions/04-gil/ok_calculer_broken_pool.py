# description: correct : ProcessPoolExecutor, avec un message clair si le pool casse (concurrent.futures.process.BrokenProcessPool)
# attendu: calculer_en_parallele=4
# %% calculer_en_parallele
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    try:
        with ProcessPoolExecutor(max_workers=nb_processus) as pool:
            return list(pool.map(fonction, valeurs))
    except BrokenProcessPool as e:
        raise RuntimeError("un processus de calcul est mort") from e
