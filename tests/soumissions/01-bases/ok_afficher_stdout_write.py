# description: correct : sys.stdout.write au lieu de print
# attendu: afficher_message=2
# %% afficher_message
import sys, time

def afficher_message(message, delai):
    time.sleep(delai)
    sys.stdout.write("Message : " + message + "\n")
    sys.stdout.flush()
