# description: une exception de traitement tue le travailleur
# attendu: travailleur=3
# message: travailleur=MSG_TYPE_NON_ATTRAPE
# %% travailleur
def travailleur(file, resultats, traitement):
    while True:
        element = file.get()
        try:
            if element is None:
                return
            i, d = element
            resultats[i] = traitement(d)
        finally:
            file.task_done()
