# description: correct : Condition utilisée comme verrou
# attendu: incrementer=4
# %% incrementer
import threading
compteur = 0
verrou = threading.Condition()
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur = compteur + 1
            verrou.notify_all()
