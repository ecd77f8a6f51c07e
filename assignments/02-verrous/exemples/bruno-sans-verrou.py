# description: incrémente sans verrou ; compte bancaire sans verrou
# attendu: incrementer=1, compter_en_parallele=2, CompteBancaire=1.6
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
# %% CompteBancaire
class CompteBancaire:
    def __init__(self, solde_initial=0):
        self._solde = solde_initial
    @property
    def solde(self):
        return self._solde
    def deposer(self, montant):
        if montant <= 0:
            raise ValueError("montant")
        self._solde += montant
    def retirer(self, montant):
        if montant <= 0 or montant > self._solde:
            raise ValueError("montant")
        self._solde -= montant
