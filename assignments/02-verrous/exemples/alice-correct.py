# description: correct, avec acquire/try/finally et un verrou autour de toute la boucle
# attendu: incrementer=4, compter_en_parallele=2, CompteBancaire=4
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(nb_fois):
    global compteur
    verrou.acquire()
    try:
        for _ in range(nb_fois):
            compteur += 1
    finally:
        verrou.release()
