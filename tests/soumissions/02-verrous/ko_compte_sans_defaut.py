# description: __init__(self, solde_initial) sans valeur par défaut : CompteBancaire() échoue
# attendu: CompteBancaire=2.4
# message: CompteBancaire=MSG_EXCEPTION
# %% CompteBancaire
import threading
class CompteBancaire:
    def __init__(self, solde_initial):
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
            if montant > self._solde:
                raise ValueError("solde insuffisant")
            self._solde -= montant
