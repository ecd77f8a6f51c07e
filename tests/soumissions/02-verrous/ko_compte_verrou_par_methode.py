# description: un verrou pour deposer, un autre pour retirer : un dépôt et un retrait simultanés se perdent
# attendu: CompteBancaire=3.2
# message: CompteBancaire=MSG_PERTE
# contient: CONSEIL_VERROUS_DISTINCTS
# %% CompteBancaire
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
            self._solde += montant
    def retirer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._verrou_retrait:
            if montant > self._solde:
                raise ValueError("solde insuffisant")
            self._solde -= montant
