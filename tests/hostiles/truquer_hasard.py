# description: fige le hasard de l'ordonnanceur (random.Random) pour qu'aucune course n'apparaisse
# devoir: 02-verrous
# attendu: incrementer=1
# duree_max: 40
# message: incrementer=MSG_PERTE
# %% incrementer
import threading
import random
random.Random.random = lambda self: 0.0
random.Random.choice = lambda self, s: s[0]
random.Random.randrange = lambda self, *a, **k: 0
random.Random.shuffle = lambda self, s, *a: None
compteur = 0
verrou = threading.Lock()

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
