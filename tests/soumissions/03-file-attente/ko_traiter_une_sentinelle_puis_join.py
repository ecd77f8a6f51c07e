# description: une seule sentinelle pour tous, puis join() de chaque travailleur : interblocage
# attendu: traiter_taches=0
# message: traiter_taches=MSG_INTERBLOCAGE
# contient: CONSEIL_SENTINELLE
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue()
    resultats = {}
    fils = [threading.Thread(target=travailleur, args=(file, resultats, traitement)) for _ in range(nb_travailleurs)]
    for f in fils:
        f.start()
    for i, d in enumerate(donnees):
        file.put((i, d))
    file.put(None)
    for f in fils:
        f.join()
    sortie = [resultats[i] for i in range(len(donnees))]
    for v in sortie:
        if isinstance(v, Exception):
            raise v
    return sortie
