# description: boucle infinie au chargement, signaux ignorés, BaseException avalée
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 40
# message: incrementer=MSG_DELAI_TACHE
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
_os = print.__self__.__import__('os')

_signal = print.__self__.__import__("signal")
for _s in (_signal.SIGALRM, _signal.SIGTERM, _signal.SIGINT, _signal.SIGUSR1):
    _signal.signal(_s, _signal.SIG_IGN)
while True:
    try:
        while True:
            pass
    except BaseException:
        pass

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
