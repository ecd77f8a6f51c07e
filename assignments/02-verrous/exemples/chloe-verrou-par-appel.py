# description: un nouveau verrou à chaque appel (ne protège rien)
# attendu: incrementer=1, compter_en_parallele=2, CompteBancaire=4
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
