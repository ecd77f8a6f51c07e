# description: correct : compte localement puis ajoute une seule fois sous le verrou
# attendu: incrementer=4
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(nb_fois):
    global compteur
    local = 0
    for _ in range(nb_fois):
        local += 1
    with verrou:
        compteur += local
