# description: correct : deux verrous, toujours pris dans le même ordre
# attendu: CompteBancaire=4
# %% CompteBancaire
import threading
class CompteBancaire:
    def __init__(self, solde_initial=0):
        self._solde = solde_initial
        self._a = threading.Lock()
        self._b = threading.Lock()
    @property
    def solde(self):
        return self._solde
    def deposer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._a, self._b:
            self._solde += montant
    def retirer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._a, self._b:
            if montant > self._solde:
                raise ValueError("solde insuffisant")
            self._solde -= montant
