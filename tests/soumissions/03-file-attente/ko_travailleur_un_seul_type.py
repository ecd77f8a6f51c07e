# description: n'attrape que ValueError : meurt sur toute autre exception de traitement
# attendu: travailleur=3
# message: travailleur=MSG_TYPE_NON_ATTRAPE
# %% travailleur
def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        try:
            if element is None:
                return
            indice, donnee = element
            try:
                resultats[indice] = traitement(donnee)
            except ValueError as e:
                resultats[indice] = e
        finally:
            file.task_done()
