# description: résultats dans l'ordre de fin (imap_unordered)
# attendu: calculer_en_parallele=2.4
# message: calculer_en_parallele=MSG_ORDRE
# %% calculer_en_parallele
import multiprocessing
def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    with multiprocessing.Pool(nb_processus) as pool:
        return list(pool.imap_unordered(fonction, valeurs))
