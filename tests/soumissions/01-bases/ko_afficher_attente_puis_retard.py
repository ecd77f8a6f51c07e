# description: affiche puis attend : le texte arrive trop tôt
# attendu: afficher_message=1
# message: afficher_message=MSG_TROP_TOT
# %% afficher_message
import time
def afficher_message(message, delai):
    print(f"Message : {message}")
    time.sleep(delai)
