# description: remplace time.sleep, builtins.len et threading.Thread : sans effet hors de sa cellule
# devoir: 01-bases
# attendu: afficher_message=1
# duree_max: 30
# message: afficher_message=MSG_TROP_TOT
# %% afficher_message
import time, builtins, threading
time.sleep = lambda s: None
builtins.len = lambda x: 0
threading.Thread = None
def afficher_message(message, delai):
    time.sleep(delai)
    print(f"Message : {message}")
