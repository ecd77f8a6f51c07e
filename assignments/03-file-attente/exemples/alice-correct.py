# description: correct, boucle while True/break et file.join()
# attendu: travailleur=4, traiter_taches=6
# %% travailleur
def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        if element is None:
            file.task_done()
            break
        indice, donnee = element
        try:
            resultats[indice] = traitement(donnee)
        except Exception as e:
            resultats[indice] = e
        file.task_done()
