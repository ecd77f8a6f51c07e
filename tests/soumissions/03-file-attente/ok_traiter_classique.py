# description: correct : données puis une sentinelle par travailleur, join de chaque thread, premier échec relevé
# attendu: traiter_taches=6
# %% traiter_taches
import queue
import threading
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue()
    resultats = {}
    travailleurs = []
    for _ in range(nb_travailleurs):
        t = threading.Thread(target=travailleur, args=(file, resultats, traitement))
        t.start()
        travailleurs.append(t)
    for indice, donnee in enumerate(donnees):
        file.put((indice, donnee))
    for _ in travailleurs:
        file.put(None)
    for t in travailleurs:
        t.join()
    for indice in range(len(donnees)):
        if isinstance(resultats[indice], Exception):
            raise resultats[indice]
    return [resultats[indice] for indice in range(len(donnees))]
