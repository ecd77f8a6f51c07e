# description: un multiprocessing.Process par valeur (résultats par une Queue) : plus de nb_processus processus
# attendu: calculer_en_parallele=3.2
# %% calculer_en_parallele
import multiprocessing
def _calcul(fonction, i, v, q):
    q.put((i, fonction(v)))
def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    q = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_calcul, args=(fonction, i, v, q)) for i, v in enumerate(valeurs)]
    for p in procs:
        p.start()
    res = dict(q.get() for _ in procs)
    for p in procs:
        p.join()
    return [res[i] for i in range(len(valeurs))]
