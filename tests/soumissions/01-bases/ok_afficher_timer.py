# description: correct : threading.Timer qui affiche après le délai, puis join
# attendu: afficher_message=2
# %% afficher_message
import threading

def afficher_message(message, delai):
    t = threading.Timer(delai, print, args=[f"Message : {message}"])
    t.start()
    t.join()
