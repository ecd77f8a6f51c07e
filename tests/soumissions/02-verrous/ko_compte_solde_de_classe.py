# description: solde rangé dans un attribut de classe : partagé par tous les comptes
# attendu: CompteBancaire=2.4
# message: CompteBancaire=MSG_PARTAGE
# %% CompteBancaire
import threading
class CompteBancaire:
    _solde = 0
    _verrou = threading.Lock()
    def __init__(self, solde_initial=0):
        CompteBancaire._solde = solde_initial
    @property
    def solde(self):
        return CompteBancaire._solde
    def deposer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._verrou:
            CompteBancaire._solde += montant
    def retirer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        with self._verrou:
            if montant > CompteBancaire._solde:
                raise ValueError("solde insuffisant")
            CompteBancaire._solde -= montant
