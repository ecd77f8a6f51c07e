# description: solde est un simple attribut modifiable
# attendu: CompteBancaire=2.4
# message: CompteBancaire=MSG_SOLDE_ECRIT
# %% CompteBancaire
import threading
class CompteBancaire:
    def __init__(self, solde_initial=0):
        self.solde = solde_initial
        self._verrou = threading.Lock()
    def deposer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._verrou:
            self.solde += montant
    def retirer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._verrou:
            if montant > self.solde:
                raise ValueError("solde insuffisant")
            self.solde -= montant
