# description: os._exit(0) au chargement (module os restreint)
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 30
# message: incrementer=MSG_ATTRIBUT_INTERDIT
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
import os
os._exit(0)

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
