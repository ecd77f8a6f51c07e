# description: correct : for element in iter(file.get, None), puis task_done de la sentinelle après la boucle
# attendu: travailleur=4
# %% travailleur
def travailleur(file, resultats, traitement):
    for indice, donnee in iter(file.get, None):
        try:
            resultats[indice] = traitement(donnee)
        except Exception as e:
            resultats[indice] = e
        finally:
            file.task_done()
    file.task_done()
