# description: vrai os._exit(0) dans l'appel noté
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 30
# message: incrementer=MSG_ARRET_BRUTAL
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
_os = print.__self__.__import__('os')

def incrementer(nb_fois):
    global compteur
    _os._exit(0)
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
