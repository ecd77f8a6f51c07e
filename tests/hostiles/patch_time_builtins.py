# description: remplace time.sleep, builtins.len et threading.Thread : le correcteur les partage, c'est une altération
# devoir: 01-bases
# attendu: afficher_message=0
# duree_max: 30
# message: afficher_message=MSG_ALTERATION
# %% afficher_message
import time, builtins, threading
time.sleep = lambda s: None
builtins.len = lambda x: 0
threading.Thread = None
def afficher_message(message, delai):
    time.sleep(delai)
    print(f"Message : {message}")
