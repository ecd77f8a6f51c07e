# description: correct : un verrou attribut de classe (partagé), solde rangé dans chaque objet
# attendu: CompteBancaire=4
# %% CompteBancaire
import threading
class CompteBancaire:
    _verrou = threading.Lock()
    def __init__(self, solde_initial=0):
        self._solde = solde_initial
    @property
    def solde(self):
        return self._solde
    def deposer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with CompteBancaire._verrou:
            self._solde += montant
    def retirer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with CompteBancaire._verrou:
            if montant > self._solde:
                raise ValueError("solde insuffisant")
            self._solde -= montant
