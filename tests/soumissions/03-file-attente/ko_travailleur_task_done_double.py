# description: task_done() dans except ET dans finally : appelé deux fois quand traitement échoue
# attendu: travailleur=3
# message: travailleur=MSG_EXCEPTION_THREAD
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
                resultats[indice] = e
                file.task_done()
        finally:
            file.task_done()
