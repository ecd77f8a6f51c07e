# description: correct : constante SENTINELLE définie dans la cellule travailleur (plus haut), réutilisée par traiter_taches
# attendu: travailleur=4,traiter_taches=6
# %% travailleur
import queue
import threading

SENTINELLE = None

def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        try:
            if element is SENTINELLE:
                return
            indice, donnee = element
            try:
                resultats[indice] = traitement(donnee)
            except Exception as e:
                resultats[indice] = e
        finally:
            file.task_done()
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue()
    resultats = {}
    fils = [threading.Thread(target=travailleur, args=(file, resultats, traitement)) for _ in range(nb_travailleurs)]
    for f in fils:
        f.start()
    for i, d in enumerate(donnees):
        file.put((i, d))
    for _ in fils:
        file.put(SENTINELLE)
    for f in fils:
        f.join()
    sortie = [resultats[i] for i in range(len(donnees))]
    for v in sortie:
        if isinstance(v, Exception):
            raise v
    return sortie
