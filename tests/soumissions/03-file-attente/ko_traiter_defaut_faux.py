# description: nb_travailleurs vaut 4 par défaut au lieu de 3
# attendu: traiter_taches=4
# message: traiter_taches=MSG_NB_TRAVAILLEURS
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=4):
    file = queue.Queue()
    resultats = {}
    fils = [threading.Thread(target=travailleur, args=(file, resultats, traitement)) for _ in range(nb_travailleurs)]
    for f in fils:
        f.start()
    for i, d in enumerate(donnees):
        file.put((i, d))
    for _ in fils:
        file.put(None)
    for f in fils:
        f.join()
    sortie = [resultats[i] for i in range(len(donnees))]
    for v in sortie:
        if isinstance(v, Exception):
            raise v
    return sortie
