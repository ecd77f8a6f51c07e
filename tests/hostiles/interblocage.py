# description: reprend un Lock qu'il détient déjà
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 30
# message: incrementer=MSG_INTERBLOCAGE
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            with verrou:
                compteur += 1
