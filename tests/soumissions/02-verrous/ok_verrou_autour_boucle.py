# description: correct : verrou autour de toute la boucle
# attendu: incrementer=4
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(nb_fois):
    global compteur
    with verrou:
        for _ in range(nb_fois):
            compteur += 1
