# description: sys.exit() dans l'appel noté
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 30
# message: incrementer=MSG_EXCEPTION
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
import sys

def incrementer(nb_fois):
    global compteur
    sys.exit(0)
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
