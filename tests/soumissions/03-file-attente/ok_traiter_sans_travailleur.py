# description: correct : travailleurs écrits dans la fonction, file.join() puis sentinelles
# attendu: traiter_taches=6
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue()
    sortie = [None] * len(donnees)
    erreurs = {}
    verrou = threading.Lock()
    def boucle():
        while True:
            element = file.get()
            try:
                if element is None:
                    return
                i, d = element
                try:
                    r = traitement(d)
                    with verrou:
                        sortie[i] = r
                except Exception as e:
                    with verrou:
                        erreurs[i] = e
            finally:
                file.task_done()
    fils = [threading.Thread(target=boucle) for _ in range(nb_travailleurs)]
    for f in fils:
        f.start()
    for i, d in enumerate(donnees):
        file.put((i, d))
    file.join()
    for _ in fils:
        file.put(None)
    for f in fils:
        f.join()
    if erreurs:
        raise erreurs[min(erreurs)]
    return sortie
