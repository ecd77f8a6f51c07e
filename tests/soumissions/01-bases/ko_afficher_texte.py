# description: texte affiché sans l'espace avant les deux-points
# attendu: afficher_message=1
# message: afficher_message=MSG_TEXTE
# %% afficher_message
import time
def afficher_message(message, delai):
    time.sleep(delai)
    print(f"Message: {message}")
