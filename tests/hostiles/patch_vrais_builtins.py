# description: modifie les vrais builtins par print.__self__
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 30
# message: incrementer=MSG_ALTERATION
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
print.__self__.abs = lambda x: 0

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
