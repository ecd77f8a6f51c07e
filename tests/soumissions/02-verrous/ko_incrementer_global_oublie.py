# description: oublie « global compteur » : UnboundLocalError
# attendu: incrementer=0
# message: incrementer=MSG_EXCEPTION
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(nb_fois):
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
