# description: correct : attente avec Event().wait(delai)
# attendu: afficher_message=2
# %% afficher_message
import threading
def afficher_message(message, delai):
    threading.Event().wait(delai)
    print("Message :", message)
