# description: correct : RLock pris deux fois
# attendu: incrementer=4
# %% incrementer
import threading
compteur = 0
verrou = threading.RLock()
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            with verrou:
                compteur += 1
