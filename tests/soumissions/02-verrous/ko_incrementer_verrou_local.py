# description: crée un nouveau Lock à chaque appel d'incrementer : aucun thread ne partage le verrou
# attendu: incrementer=1
# message: incrementer=MSG_PERTE
# contient: CONSEIL_VERROUS_DISTINCTS
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(nb_fois):
    global compteur
    mon_verrou = threading.Lock()
    for _ in range(nb_fois):
        with mon_verrou:
            compteur += 1
