# description: multiprocessing.dummy.Pool : l'API de multiprocessing, mais ce sont des threads
# attendu: calculer_en_parallele=1.6
# message: calculer_en_parallele=MSG_MEME_PROCESSUS
# %% calculer_en_parallele
from multiprocessing.dummy import Pool
def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    with Pool(nb_processus) as pool:
        return pool.map(fonction, valeurs)
