# description: SystemExit au chargement
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 30
# message: incrementer=MSG_EXCEPTION
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
raise SystemExit(0)

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
