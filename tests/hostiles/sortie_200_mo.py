# description: écrit 200 Mo sur la sortie standard (capture bornée, rien d'autre n'est cassé)
# devoir: 02-verrous
# attendu:
# duree_max: 30
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
_os = print.__self__.__import__('os')

for _ in range(200):
    print("x" * 10 ** 6)
    _os.write(1, b"y" * 10 ** 6)

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
