# description: time.sleep(0) au lieu d'un verrou
# attendu: incrementer=1
# message: incrementer=MSG_PERTE
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(nb_fois):
    global compteur
    import time
    for _ in range(nb_fois):
        time.sleep(0)
        compteur += 1
