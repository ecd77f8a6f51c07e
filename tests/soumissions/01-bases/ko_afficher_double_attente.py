# description: attend deux fois le délai
# attendu: afficher_message=1
# message: afficher_message=MSG_TROP_LONG
# %% afficher_message
import time
def afficher_message(message, delai):
    time.sleep(delai)
    print(f"Message : {message}")
    time.sleep(delai)
