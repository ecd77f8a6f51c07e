# description: remet la sentinelle dans la file pour les autres : un élément de plus reste non traité (unfinished_tasks)
# attendu: travailleur=2
# %% travailleur
import queue
import threading


def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        if element is None:
            file.put(None)
            file.task_done()
            return
        indice, donnee = element
        try:
            resultats[indice] = traitement(donnee)
        except Exception as e:
            resultats[indice] = e
        file.task_done()
