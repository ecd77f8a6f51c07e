# description: correct : acquire/release dans try/finally
# attendu: incrementer=4
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        verrou.acquire()
        try:
            compteur += 1
        finally:
            verrou.release()
