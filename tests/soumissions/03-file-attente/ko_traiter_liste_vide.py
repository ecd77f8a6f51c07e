# description: construit le résultat avec max(resultats) : échoue sur une liste vide
# attendu: traiter_taches=4
# message: traiter_taches=MSG_EXCEPTION_INATTENDUE
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
        file.put(None)
    for f in fils:
        f.join()
    sortie = [resultats[i] for i in range(max(resultats) + 1)]
    for v in sortie:
        if isinstance(v, Exception):
            raise v
    return sortie
