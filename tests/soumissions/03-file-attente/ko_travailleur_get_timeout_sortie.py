# description: get(timeout=0.1) et sortie sur queue.Empty : s'arrête quand la file est momentanément vide
# attendu: travailleur=3
# message: travailleur=MSG_ARRET_PREMATURE
# %% travailleur
import queue
def travailleur(file, resultats, traitement):
    while True:
        try:
            element = file.get(timeout=0.1)
        except queue.Empty:
            return
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
