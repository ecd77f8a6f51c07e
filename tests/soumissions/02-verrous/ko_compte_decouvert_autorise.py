# description: retirer ne vérifie pas le solde : découvert possible
# attendu: CompteBancaire=1.6
# message: CompteBancaire=MSG_PAS_VALUEERROR
# %% CompteBancaire
import threading
class CompteBancaire:
    def __init__(self, solde_initial=0):
        self._solde = solde_initial
        self._verrou = threading.Lock()
    @property
    def solde(self):
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
            self._solde -= montant
