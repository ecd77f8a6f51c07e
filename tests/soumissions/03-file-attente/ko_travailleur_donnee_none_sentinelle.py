# description: prend une donnée None pour la sentinelle : (i, None) arrête le travailleur
# attendu: travailleur=2
# %% travailleur
import queue
import threading


def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        indice, donnee = element if element is not None else (None, None)
        if donnee is None:
            file.task_done()
            break
        try:
            resultats[indice] = traitement(donnee)
        except Exception as e:
            resultats[indice] = e
        file.task_done()
