# description: utilise une fonction d'aide définie dans une autre cellule (non exécutée à la correction)
# attendu: incrementer=0
# message: incrementer=MSG_EXCEPTION
# contient: MSG_NOM_INCONNU
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur = ajouter_un(compteur)
