# description: correct : une Condition sert de verrou (with self._cond)
# attendu: CompteBancaire=4
# %% CompteBancaire
import threading
class CompteBancaire:
    def __init__(self, solde_initial=0):
        self._solde = solde_initial
        self._cond = threading.Condition()
    @property
    def solde(self):
        with self._cond:
            return self._solde
    def deposer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._cond:
            self._solde += montant
            self._cond.notify_all()
    def retirer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._cond:
            if montant > self._solde:
                raise ValueError("solde insuffisant")
            self._solde -= montant
