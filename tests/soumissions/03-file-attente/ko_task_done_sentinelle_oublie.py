# description: pas de task_done pour la sentinelle
# attendu: travailleur=0
# message: travailleur=MSG_TASK_DONE
# %% travailleur
def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        if element is None:
            return
        i, d = element
        try:
            resultats[i] = traitement(d)
        except Exception as e:
            resultats[i] = e
        file.task_done()
