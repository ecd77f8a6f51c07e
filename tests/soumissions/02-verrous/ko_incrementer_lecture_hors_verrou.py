# description: lit compteur hors du verrou, écrit sous le verrou : mise à jour perdue
# attendu: incrementer=1
# message: incrementer=MSG_PERTE
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        valeur = compteur
        with verrou:
            compteur = valeur + 1
