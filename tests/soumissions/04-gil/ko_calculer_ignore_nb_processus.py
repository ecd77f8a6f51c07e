# description: le pool ignore nb_processus (4 processus quoi qu'on demande)
# attendu: calculer_en_parallele=3.2
# message: calculer_en_parallele=MSG_TROP_DE_PROCESSUS
# %% calculer_en_parallele
from concurrent.futures import ProcessPoolExecutor


def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    with ProcessPoolExecutor(max_workers=4) as pool:
        return list(pool.map(fonction, valeurs))
