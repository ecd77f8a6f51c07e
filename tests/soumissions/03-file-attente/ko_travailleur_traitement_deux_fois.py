# description: appelle traitement deux fois par élément (une fois « pour tester », une fois pour stocker)
# attendu: travailleur=2
# message: travailleur=MSG_TRAITE_DEUX_FOIS
# %% travailleur
import queue
import threading

def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        try:
            if element is None:
                return
            indice, donnee = element
            try:
                traitement(donnee)
                resultats[indice] = traitement(donnee)
            except Exception as e:
                resultats[indice] = e
        finally:
            file.task_done()
