# description: correct : file.join() puis sentinelles puis join() de chaque travailleur
# attendu: traiter_taches=6
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue()
    resultats = {}
    fils = [threading.Thread(target=travailleur, args=(file, resultats, traitement)) for _ in range(nb_travailleurs)]
    for f in fils:
        f.start()
    for i, d in enumerate(donnees):
        file.put((i, d))
    file.join()
    for _ in fils:
        file.put(None)
    for f in fils:
        f.join()
    erreurs = [resultats[i] for i in range(len(donnees)) if isinstance(resultats[i], Exception)]
    if erreurs:
        raise erreurs[0]
    return [resultats[i] for i in range(len(donnees))]
