# description: un pool d'un processus par valeur (fermé à chaque fois) au lieu d'un seul pool de nb_processus
# attendu: calculer_en_parallele=3.2
# message: calculer_en_parallele=MSG_TROP_DE_PROCESSUS
# %% calculer_en_parallele
from concurrent.futures import ProcessPoolExecutor


def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    resultats = []
    for v in valeurs:
        with ProcessPoolExecutor(max_workers=1) as pool:
            resultats.append(pool.submit(fonction, v).result())
    return resultats
