# description: correct : Semaphore(1) comme verrou, acquire/release dans try/finally
# attendu: CompteBancaire=4
# %% CompteBancaire
import threading
class CompteBancaire:
    def __init__(self, solde_initial=0):
        self._solde = solde_initial
        self._sem = threading.Semaphore(1)
    @property
    def solde(self):
        return self._solde
    def deposer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        self._sem.acquire()
        try:
            self._solde += montant
        finally:
            self._sem.release()
    def retirer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        self._sem.acquire()
        try:
            if montant > self._solde:
                raise ValueError("solde insuffisant")
            self._solde -= montant
        finally:
            self._sem.release()
