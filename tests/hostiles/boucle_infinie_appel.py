# description: boucle infinie en C dans l'appel, BaseException avalée
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 40
# message: incrementer=MSG_DELAI_TACHE
# contient: MSG_PILES
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()

def incrementer(nb_fois):
    while True:
        try:
            sum(range(10 ** 12))
        except BaseException:
            pass
