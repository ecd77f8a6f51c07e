# description: attente active sur file.empty()
# attendu: travailleur=3
# message: travailleur=MSG_ATTENTE_ACTIVE
# %% travailleur
def travailleur(file, resultats, traitement):
    while True:
        if file.empty():
            continue
        element = file.get()
        try:
            if element is None:
                return
            i, d = element
            try:
                resultats[i] = traitement(d)
            except Exception as e:
                resultats[i] = e
        finally:
            file.task_done()
