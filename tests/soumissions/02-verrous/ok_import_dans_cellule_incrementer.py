# description: correct : from concurrent.futures import ThreadPoolExecutor fait dans la cellule incrementer (plus haut), réutilisé par compter_en_parallele
# attendu: incrementer=4,compter_en_parallele=2
# %% incrementer
import threading
from concurrent.futures import ThreadPoolExecutor

compteur = 0
verrou = threading.Lock()

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
# %% compter_en_parallele
def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    with ThreadPoolExecutor(max_workers=max(1, nb_threads)) as ex:
        for _ in range(nb_threads):
            ex.submit(incrementer, nb_fois)
    return compteur
