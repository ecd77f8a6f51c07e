# description: confusion GIL : ThreadPoolExecutor pour un calcul (aucun autre processus)
# attendu: calculer_en_parallele=1.6
# message: calculer_en_parallele=MSG_MEME_PROCESSUS
# %% calculer_en_parallele
from concurrent.futures import ThreadPoolExecutor
def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    with ThreadPoolExecutor(max_workers=nb_processus) as pool:
        return list(pool.map(fonction, valeurs))
