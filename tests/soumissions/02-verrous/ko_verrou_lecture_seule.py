# description: verrou autour de la lecture seulement
# attendu: incrementer=1
# message: incrementer=MSG_PERTE
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            valeur = compteur
        compteur = valeur + 1
