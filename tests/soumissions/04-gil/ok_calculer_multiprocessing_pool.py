# description: multiprocessing.Pool(nb_processus) et pool.map : correct
# attendu: calculer_en_parallele=4
# %% calculer_en_parallele
import multiprocessing


def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    with multiprocessing.Pool(nb_processus) as pool:
        return pool.map(fonction, valeurs)
