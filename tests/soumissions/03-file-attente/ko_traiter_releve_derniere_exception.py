# description: relève l'exception du dernier élément en échec au lieu du premier
# attendu: traiter_taches=4
# message: traiter_taches=MSG_EXCEPTION
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
    sortie = [resultats[i] for i in range(len(donnees))]
    erreur = None
    for v in sortie:
        if isinstance(v, Exception):
            erreur = v
    if erreur is not None:
        raise erreur
    return sortie
