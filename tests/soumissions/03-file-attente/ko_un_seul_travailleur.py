# description: un seul travailleur, quel que soit nb_travailleurs
# attendu: traiter_taches=2
# message: traiter_taches=MSG_NB_TRAVAILLEURS
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue()
    resultats = {}
    f = threading.Thread(target=travailleur, args=(file, resultats, traitement))
    f.start()
    for i, d in enumerate(donnees):
        file.put((i, d))
    file.put(None)
    f.join()
    sortie = [resultats[i] for i in range(len(donnees))]
    for v in sortie:
        if isinstance(v, Exception):
            raise v
    return sortie
