# description: correct : sous-classe de Thread dont run() appelle incrementer
# attendu: compter_en_parallele=2
# %% compter_en_parallele
class Compteur(threading.Thread):
    def __init__(self, nb_fois):
        super().__init__()
        self.nb_fois = nb_fois
    def run(self):
        incrementer(self.nb_fois)
def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    fils = [Compteur(nb_fois) for _ in range(nb_threads)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return compteur
