# description: correct : print(..., flush=True) et f-string
# attendu: afficher_message=2
# %% afficher_message
import time
def afficher_message(message, delai):
    time.sleep(delai)
    print(f"Message : {message}", flush=True)
