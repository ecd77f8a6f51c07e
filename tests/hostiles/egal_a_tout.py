# description: un compteur égal à tout (__eq__ toujours vrai)
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 30
# message: incrementer=MSG_VALEUR
# %% incrementer
import threading
class Partout:
    def __eq__(self, autre):
        return True
    def __ne__(self, autre):
        return False
    def __add__(self, autre):
        return self
    __radd__ = __iadd__ = __add__
    def __hash__(self):
        return 0
compteur = Partout()
verrou = threading.Lock()
def incrementer(nb_fois):
    global compteur
    compteur = Partout()
