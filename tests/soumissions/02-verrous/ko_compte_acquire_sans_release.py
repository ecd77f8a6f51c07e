# description: acquire() puis raise ValueError sans release() : le verrou reste pris pour toujours
# attendu: CompteBancaire=3.2
# message: CompteBancaire=MSG_INTERBLOCAGE
# contient: CONSEIL_NON_RELACHE
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
        self._verrou.acquire()
        self._solde += montant
        self._verrou.release()
    def retirer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        self._verrou.acquire()
        if montant > self._solde:
            raise ValueError("solde insuffisant")
        self._solde -= montant
        self._verrou.release()
