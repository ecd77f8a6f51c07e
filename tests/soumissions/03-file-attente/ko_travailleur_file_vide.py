# description: s'arrête dès que la file est momentanément vide (while not file.empty())
# attendu: travailleur=3
# message: travailleur=MSG_ARRET_PREMATURE
# %% travailleur
def travailleur(file, resultats, traitement):
    while not file.empty():
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
