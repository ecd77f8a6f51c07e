# description: les travailleurs ajoutent leurs résultats à une liste : l'ordre est celui d'arrivée
# attendu: traiter_taches=2
# message: traiter_taches=MSG_VALEUR
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue()
    sortie = []
    erreurs = []
    def boucle():
        while True:
            element = file.get()
            if element is None:
                file.task_done()
                return
            _, d = element
            try:
                sortie.append(traitement(d))
            except Exception as e:
                erreurs.append(e)
            file.task_done()
    fils = [threading.Thread(target=boucle) for _ in range(nb_travailleurs)]
    for f in fils:
        f.start()
    for i, d in enumerate(donnees):
        file.put((i, d))
    for _ in fils:
        file.put(None)
    for f in fils:
        f.join()
    if erreurs:
        raise erreurs[0]
    return sortie
