# description: lance 20 processus qui dorment (la moitié avec setsid)
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 30
# message: incrementer=MSG_PROCESSUS
# survivants: sleep 4242
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
_os = print.__self__.__import__('os')

def incrementer(nb_fois):
    global compteur
    for i in range(20):
        if _os.fork() == 0:
            if i % 2:
                _os.setsid()
            _os.execv("/bin/sleep", ["sleep", "4242"])
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
