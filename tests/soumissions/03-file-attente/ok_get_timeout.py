# description: correct : get(timeout) dans une boucle
# attendu: travailleur=4
# %% travailleur
import queue
def travailleur(file, resultats, traitement):
    while True:
        try:
            element = file.get(timeout=0.5)
        except queue.Empty:
            continue
        try:
            if element is None:
                break
            i, d = element
            try:
                resultats[i] = traitement(d)
            except Exception as e:
                resultats[i] = e
        finally:
            file.task_done()
