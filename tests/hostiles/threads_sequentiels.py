# description: remplace Thread.start par un appel direct à run : les threads du correcteur ne s'entrelacent plus
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 40
# message: incrementer=MSG_ALTERATION
# %% incrementer
import threading
threading.Thread.start = lambda self: self.run()
threading.Thread.join = lambda self, timeout=None: None
compteur = 0
verrou = threading.Lock()

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
