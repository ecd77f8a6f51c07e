# description: correct : RLock, attributs privés, solde relu sous le verrou
# attendu: CompteBancaire=4
# %% CompteBancaire
import threading
class CompteBancaire:
    def __init__(self, solde_initial=0):
        self.__solde = solde_initial
        self.__verrou = threading.RLock()
    @property
    def solde(self):
        with self.__verrou:
            return self.__solde
    def _verifier(self, montant):
        if montant <= 0:
            raise ValueError("montant invalide")
    def deposer(self, montant):
        self._verifier(montant)
        with self.__verrou:
            self.__solde = self.__solde + montant
    def retirer(self, montant):
        self._verifier(montant)
        with self.__verrou:
            if self.solde < montant:
                raise ValueError("solde insuffisant")
            self.__solde -= montant
