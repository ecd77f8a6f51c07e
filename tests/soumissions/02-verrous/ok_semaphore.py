# description: correct : Semaphore(1) avec acquire/try/finally
# attendu: incrementer=4
# %% incrementer
import threading
compteur = 0
verrou = threading.Semaphore()
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        verrou.acquire()
        try:
            tmp = compteur
            compteur = tmp + 1
        finally:
            verrou.release()
