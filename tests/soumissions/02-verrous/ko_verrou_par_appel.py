# description: un nouveau verrou à chaque appel
# attendu: incrementer=1
# message: incrementer=MSG_PERTE
# contient: CONSEIL_VERROUS_DISTINCTS
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(nb_fois):
    global compteur
    v = threading.Lock()
    for _ in range(nb_fois):
        with v:
            compteur += 1
