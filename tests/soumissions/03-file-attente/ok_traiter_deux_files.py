# description: correct : une file de tâches et une file de résultats, threads joints à la fin
# attendu: traiter_taches=6
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    taches, sorties = queue.Queue(), queue.Queue()
    def boucle():
        while True:
            element = taches.get()
            if element is None:
                return
            i, d = element
            try:
                sorties.put((i, traitement(d), None))
            except Exception as e:
                sorties.put((i, None, e))
    fils = [threading.Thread(target=boucle) for _ in range(nb_travailleurs)]
    for f in fils:
        f.start()
    for i, d in enumerate(donnees):
        taches.put((i, d))
    for _ in fils:
        taches.put(None)
    for f in fils:
        f.join()
    resultats, erreurs = {}, {}
    while not sorties.empty():
        i, r, e = sorties.get()
        resultats[i] = r
        if e is not None:
            erreurs[i] = e
    if erreurs:
        raise erreurs[min(erreurs)]
    return [resultats[i] for i in range(len(donnees))]
