# description: met toutes les données dans la file une fois par travailleur (boucle imbriquée)
# attendu: traiter_taches=4
# message: traiter_taches=MSG_TRAITE_DEUX_FOIS
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue()
    resultats = {}
    fils = []
    for _ in range(nb_travailleurs):
        f = threading.Thread(target=travailleur, args=(file, resultats, traitement))
        f.start()
        fils.append(f)
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
