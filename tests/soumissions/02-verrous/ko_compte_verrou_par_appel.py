# description: un nouveau Lock à chaque appel de deposer/retirer : aucun verrou n'est partagé
# attendu: CompteBancaire=1.6
# message: CompteBancaire=MSG_PERTE
# contient: CONSEIL_VERROUS_DISTINCTS
# %% CompteBancaire
import threading
class CompteBancaire:
    def __init__(self, solde_initial=0):
        self._solde = solde_initial
    @property
    def solde(self):
        return self._solde
    def deposer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with threading.Lock():
            self._solde += montant
    def retirer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with threading.Lock():
            if montant > self._solde:
                raise ValueError("solde insuffisant")
            self._solde -= montant
