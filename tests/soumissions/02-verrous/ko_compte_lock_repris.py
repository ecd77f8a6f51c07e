# description: retirer lit self.solde, dont la propriété reprend le même Lock (non réentrant) : interblocage
# attendu: CompteBancaire=0.8
# message: CompteBancaire=MSG_INTERBLOCAGE
# contient: CONSEIL_REENTRANT
# %% CompteBancaire
import threading
class CompteBancaire:
    def __init__(self, solde_initial=0):
        self._solde = solde_initial
        self._verrou = threading.Lock()
    @property
    def solde(self):
        with self._verrou:
            return self._solde
    def deposer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._verrou:
            self._solde += montant
    def retirer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._verrou:
            if montant > self.solde:
                raise ValueError("solde insuffisant")
            self._solde -= montant
