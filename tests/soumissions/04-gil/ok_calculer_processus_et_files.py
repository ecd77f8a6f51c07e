# description: correct : pool fait main de nb_processus multiprocessing.Process alimentés par deux multiprocessing.Queue
# attendu: calculer_en_parallele=4
# %% calculer_en_parallele
import multiprocessing

def _ouvrier(fonction, entree, sortie):
    for i, v in iter(entree.get, None):
        sortie.put((i, fonction(v)))

def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    entree = multiprocessing.Queue()
    sortie = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_ouvrier, args=(fonction, entree, sortie)) for _ in range(nb_processus)]
    for p in procs:
        p.start()
    for i, v in enumerate(valeurs):
        entree.put((i, v))
    for _ in procs:
        entree.put(None)
    res = dict(sortie.get() for _ in valeurs)
    for p in procs:
        p.join()
    return [res[i] for i in range(len(valeurs))]
