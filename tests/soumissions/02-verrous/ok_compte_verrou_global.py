# description: correct : un seul verrou global pour tous les comptes (moins de parallélisme, mais juste)
# attendu: CompteBancaire=4
# %% CompteBancaire
import threading
_verrou_banque = threading.Lock()
class CompteBancaire:
    def __init__(self, solde_initial=0):
        self._solde = solde_initial
    @property
    def solde(self):
        return self._solde
    def deposer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with _verrou_banque:
            self._solde += montant
    def retirer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with _verrou_banque:
            if montant > self._solde:
                raise ValueError("solde insuffisant")
            self._solde -= montant
