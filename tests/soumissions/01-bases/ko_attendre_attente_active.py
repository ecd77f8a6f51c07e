# description: boucle active sur is_alive() jusqu'à l'échéance
# attendu: attendre=0
# message: attendre=MSG_ATTENTE_ACTIVE
# %% attendre
import time
def attendre(thread, delai_max):
    fin = time.time() + delai_max
    while thread.is_alive() and time.time() < fin:
        pass
    return not thread.is_alive()
