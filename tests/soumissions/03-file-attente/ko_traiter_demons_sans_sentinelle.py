# description: travailleurs démons, aucune sentinelle : file.join() puis retour, les travailleurs restent bloqués
# attendu: traiter_taches=2
# message: traiter_taches=MSG_BLOQUES
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue()
    resultats = {}
    for _ in range(nb_travailleurs):
        threading.Thread(target=travailleur, args=(file, resultats, traitement), daemon=True).start()
    for i, d in enumerate(donnees):
        file.put((i, d))
    file.join()
    sortie = [resultats[i] for i in range(len(donnees))]
    for v in sortie:
        if isinstance(v, Exception):
            raise v
    return sortie
