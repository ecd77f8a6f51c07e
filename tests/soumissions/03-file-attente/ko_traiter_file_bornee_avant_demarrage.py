# description: Queue(maxsize=2) remplie avant de démarrer les travailleurs : put() bloque pour toujours
# attendu: traiter_taches=0
# message: traiter_taches=MSG_INTERBLOCAGE
# contient: CONSEIL_FILE_PLEINE
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue(maxsize=2)
    resultats = {}
    fils = [threading.Thread(target=travailleur, args=(file, resultats, traitement)) for _ in range(nb_travailleurs)]
    for i, d in enumerate(donnees):
        file.put((i, d))
    for f in fils:
        f.start()
    for _ in fils:
        file.put(None)
    for f in fils:
        f.join()
    sortie = [resultats[i] for i in range(len(donnees))]
    for v in sortie:
        if isinstance(v, Exception):
            raise v
    return sortie
