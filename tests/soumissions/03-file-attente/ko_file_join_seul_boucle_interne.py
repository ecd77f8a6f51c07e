# description: travailleurs internes, sentinelles envoyées, mais seulement file.join() : pas de join() des threads
# attendu: traiter_taches=2
# message: traiter_taches=MSG_VIVANTS
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    file = queue.Queue()
    sortie = [None] * len(donnees)
    erreurs = {}
    def boucle():
        while True:
            element = file.get()
            if element is None:
                file.task_done()
                break
            i, d = element
            try:
                sortie[i] = traitement(d)
            except Exception as e:
                erreurs[i] = e
            file.task_done()
        print("travailleur terminé")
    fils = [threading.Thread(target=boucle) for _ in range(nb_travailleurs)]
    for f in fils:
        f.start()
    for i, d in enumerate(donnees):
        file.put((i, d))
    for _ in fils:
        file.put(None)
    file.join()
    if erreurs:
        raise erreurs[min(erreurs)]
    return sortie
