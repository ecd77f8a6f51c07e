# description: get_nowait() dans une boucle qui réessaie sur queue.Empty : attente active
# attendu: travailleur=3
# message: travailleur=MSG_ATTENTE_ACTIVE
# %% travailleur
import queue
def travailleur(file, resultats, traitement):
    while True:
        try:
            element = file.get_nowait()
        except queue.Empty:
            continue
        try:
            if element is None:
                return
            indice, donnee = element
            try:
                resultats[indice] = traitement(donnee)
            except Exception as e:
                resultats[indice] = e
        finally:
            file.task_done()
