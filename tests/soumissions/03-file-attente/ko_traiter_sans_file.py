# description: découpe la liste en tranches, une par thread, sans queue.Queue
# attendu: traiter_taches=4
# message: traiter_taches=MSG_SANS_FILE
# %% traiter_taches
def traiter_taches(donnees, traitement, nb_travailleurs=3):
    sortie = [None] * len(donnees)
    echecs = {}
    def tranche(debut):
        for i in range(debut, len(donnees), nb_travailleurs):
            try:
                sortie[i] = traitement(donnees[i])
            except Exception as e:
                echecs[i] = e
    fils = [threading.Thread(target=tranche, args=(k,)) for k in range(nb_travailleurs)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    if echecs:
        raise echecs[min(echecs)]
    return sortie
