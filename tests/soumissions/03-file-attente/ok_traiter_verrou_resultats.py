# description: correct : travailleurs internes qui écrivent sous un verrou dans une liste préallouée
# attendu: traiter_taches=6
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue()
    sortie = [None] * len(donnees)
    echecs = [False] * len(donnees)
    verrou = threading.Lock()
    def boucle():
        while (element := file.get()) is not None:
            i, d = element
            try:
                r, rate = traitement(d), False
            except Exception as e:
                r, rate = e, True
            with verrou:
                sortie[i], echecs[i] = r, rate
    fils = [threading.Thread(target=boucle) for _ in range(nb_travailleurs)]
    for f in fils:
        f.start()
    for i, d in enumerate(donnees):
        file.put((i, d))
    for _ in fils:
        file.put(None)
    for f in fils:
        f.join()
    for i, rate in enumerate(echecs):
        if rate:
            raise sortie[i]
    return sortie
