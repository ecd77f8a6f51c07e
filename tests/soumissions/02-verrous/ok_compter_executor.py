# description: correct : ThreadPoolExecutor de nb_threads ouvriers, submit puis result()
# attendu: compter_en_parallele=2
# %% compter_en_parallele
from concurrent.futures import ThreadPoolExecutor

def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    with ThreadPoolExecutor(max_workers=nb_threads) as ex:
        futurs = [ex.submit(incrementer, nb_fois) for _ in range(nb_threads)]
        for f in futurs:
            f.result()
    return compteur
