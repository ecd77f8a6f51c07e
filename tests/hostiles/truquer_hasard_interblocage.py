# description: fige le hasard de l ordonnanceur pour cacher un interblocage
# devoir: 02-verrous
# attendu: CompteBancaire=3.2
# duree_max: 60
# message: CompteBancaire=MSG_INTERBLOCAGE
# %% CompteBancaire
import random
random.Random.random = lambda self: 0.0
random.Random.choice = lambda self, s: s[0]
random.Random.randrange = lambda self, *a, **k: 0
random.Random.shuffle = lambda self, s, *a: None
random.Random.randint = lambda self, a, b: a
import threading
class CompteBancaire:
    def __init__(self, solde_initial=0):
        self._solde = solde_initial
        self._verrou_depot = threading.Lock()
        self._verrou_retrait = threading.Lock()
    @property
    def solde(self):
        return self._solde
    def deposer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._verrou_depot:
            with self._verrou_retrait:
                self._solde += montant
    def retirer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._verrou_retrait:
            with self._verrou_depot:
                if montant > self._solde:
                    raise ValueError("solde insuffisant")
                self._solde -= montant
