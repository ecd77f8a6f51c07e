# description: oublie task_done quand traitement échoue, et pour la sentinelle
# attendu: travailleur=0, traiter_taches=6
# %% travailleur
def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        if element is None:
            return
        indice, donnee = element
        try:
            resultats[indice] = traitement(donnee)
            file.task_done()
        except Exception as e:
            resultats[indice] = e
