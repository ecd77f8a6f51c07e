# description: renvoie le générateur de pool.map au lieu d une liste
# attendu: calculer_en_parallele=2.4
# message: calculer_en_parallele=MSG_PAS_UNE_LISTE
# %% calculer_en_parallele
from concurrent.futures import ProcessPoolExecutor
def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    with ProcessPoolExecutor(max_workers=nb_processus) as pool:
        resultats = pool.map(fonction, valeurs)
    return resultats
