# description: remplace threading.Thread dans le module par une classe qui exécute la cible sans thread
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 40
# message: incrementer=MSG_ALTERATION
# %% incrementer
import threading


class _Sequentiel:
    def __init__(self, target=None, args=(), kwargs=None, **_):
        self._cible, self._args, self._kwargs = target, args, kwargs or {}

    def start(self):
        self._cible(*self._args, **self._kwargs)

    def join(self, timeout=None):
        return None


threading.Thread = _Sequentiel
compteur = 0
verrou = threading.Lock()


def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
