# description: attendre bloque sans limite (join sans timeout), afficher avant d'attendre
# attendu: afficher_message=1, lancer_threads=4, attendre=0
# %% afficher_message
import time
def afficher_message(message, delai):
    print(f"Message : {message}")
    time.sleep(delai)
# %% attendre
def attendre(thread, delai_max):
    thread.join()
    return True
