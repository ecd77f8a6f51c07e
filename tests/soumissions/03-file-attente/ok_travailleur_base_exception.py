# description: correct : except BaseException et task_done dans un finally unique
# attendu: travailleur=4
# %% travailleur
def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        try:
            if element is None:
                break
            indice, donnee = element
            try:
                resultat = traitement(donnee)
            except BaseException as erreur:
                resultat = erreur
            resultats[indice] = resultat
        finally:
            file.task_done()
