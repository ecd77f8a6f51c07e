# description: stocke str(e) au lieu de l'objet exception
# attendu: travailleur=3
# message: travailleur=MSG_EXCEPTION_STOCKEE
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
            except Exception as e:
                resultats[indice] = str(e)
        finally:
            file.task_done()
