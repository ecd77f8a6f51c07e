# description: correct : fonction d'aide demarrer_et_attendre définie dans la cellule afficher_message (plus haut), utilisée par lancer_threads
# attendu: afficher_message=2,lancer_threads=4
# %% afficher_message
import threading
import time

def afficher_message(message, delai):
    time.sleep(delai)
    print(f"Message : {message}")

def demarrer_et_attendre(fils):
    for t in fils:
        t.start()
    for t in fils:
        t.join()
    return fils
# %% lancer_threads
def lancer_threads(messages):
    return demarrer_et_attendre([threading.Thread(target=afficher_message, args=(m, d)) for m, d in messages])
