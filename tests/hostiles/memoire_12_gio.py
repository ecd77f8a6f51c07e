# description: alloue 12 Gio
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 30
# message: incrementer=MSG_EXCEPTION
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
_bloc = bytearray(12 * 1024 ** 3)

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
