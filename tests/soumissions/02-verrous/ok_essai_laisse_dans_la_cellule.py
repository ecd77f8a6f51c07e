# description: correct, avec un essai de 100 000 appels laissé au niveau principal de la cellule
# attendu: incrementer=4
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1

# petit essai laissé par l'étudiant
incrementer(100_000)
print(compteur)
compteur = 0
