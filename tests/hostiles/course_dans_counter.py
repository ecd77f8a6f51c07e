# description: compteur sans verrou caché dans collections.Counter.update(globals(), ...)
# devoir: 02-verrous
# attendu: incrementer=1
# duree_max: 40
# message: incrementer=MSG_VALEUR
# %% incrementer
import threading
from collections import Counter
compteur = 0
verrou = threading.Lock()

def incrementer(nb_fois):
    for _ in range(nb_fois):
        Counter.update(globals(), {"compteur": 1})
