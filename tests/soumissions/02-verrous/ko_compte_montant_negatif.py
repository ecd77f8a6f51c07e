# description: accepte les montants négatifs
# attendu: CompteBancaire=2.4
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
        with self._verrou:
            self._solde += montant
    def retirer(self, montant):
        with self._verrou:
            if montant > self._solde:
                raise ValueError("solde insuffisant")
            self._solde -= montant
