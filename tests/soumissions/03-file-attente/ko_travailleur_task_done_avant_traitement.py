# description: task_done() appelé dès le get, avant le traitement : file.join() peut rendre la main avant que le résultat soit rangé
# attendu: travailleur=2
# %% travailleur
import queue
import threading


def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        file.task_done()
        if element is None:
            return
        indice, donnee = element
        try:
            resultats[indice] = traitement(donnee)
        except Exception as e:
            resultats[indice] = e
