# description: correct : import concurrent.futures as cf fait dans la cellule telecharger_tous (plus haut), réutilisé par calculer_en_parallele
# attendu: telecharger_tous=4,calculer_en_parallele=4
# %% telecharger_tous
import concurrent.futures as cf

def telecharger_tous(urls, telecharger, max_workers=8):
    with cf.ThreadPoolExecutor(max_workers=max_workers) as pool:
        return list(pool.map(telecharger, urls))
# %% calculer_en_parallele
def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    with cf.ProcessPoolExecutor(max_workers=nb_processus) as pool:
        return list(pool.map(fonction, valeurs))
