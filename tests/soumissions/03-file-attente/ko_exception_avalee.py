# description: renvoie les exceptions au lieu de relever la première
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
    return [resultats[i] for i in range(len(donnees))]
