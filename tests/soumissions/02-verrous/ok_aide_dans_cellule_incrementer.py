# description: correct : fonction d'aide lancer_et_attendre définie dans la cellule incrementer (plus haut), utilisée par compter_en_parallele
# attendu: incrementer=4,compter_en_parallele=2
# %% incrementer
import threading

compteur = 0
verrou = threading.Lock()

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1

def lancer_et_attendre(cible, args, n):
    fils = [threading.Thread(target=cible, args=args) for _ in range(n)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
# %% compter_en_parallele
def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    lancer_et_attendre(incrementer, (nb_fois,), nb_threads)
    return compteur
