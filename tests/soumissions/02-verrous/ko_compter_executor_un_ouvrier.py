# description: ThreadPoolExecutor d'un seul ouvrier : rien ne tourne en parallèle
# attendu: compter_en_parallele=1
# message: compter_en_parallele=MSG_NB_THREADS
# %% compter_en_parallele
from concurrent.futures import ThreadPoolExecutor

def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    with ThreadPoolExecutor(max_workers=1) as ex:
        for _ in range(nb_threads):
            ex.submit(incrementer, nb_fois)
    return compteur
