# description: open() ordinaire
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 30
# message: incrementer=MSG_FICHIER_INTERDIT
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
open('/etc/hostname').read()

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
