# description: calcule tout dans le processus appelant, puis remplace le pid que renvoie la fonction d'essai (pid, carré) par un autre
# devoir: 04-gil
# attendu: calculer_en_parallele=2.4
# %% calculer_en_parallele
import os
def calculer_en_parallele(fonction, valeurs, nb_processus=4):
    out = []
    for v in valeurs:
        r = fonction(v)
        if type(r) is tuple and len(r) == 2 and r[0] == os.getpid():
            r = (r[0] + 1000, r[1])
        out.append(r)
    return out
