# description: renvoie le texte au lieu de l'afficher (rien n'est affiché : l'attente ne se juge pas)
# attendu: afficher_message=0
# message: afficher_message=MSG_TEXTE
# contient: MSG_RIEN_AFFICHE
# %% afficher_message
import time


def afficher_message(message, delai):
    time.sleep(delai)
    return f"Message : {message}"
