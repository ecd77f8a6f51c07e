# description: un pool d'un processus par valeur au lieu d'un seul pool de nb_processus
# attendu: calculer_en_parallele=3.2
# message: calculer_en_parallele=MSG_TROP_DE_PROCESSUS
# %% calculer_en_parallele
from concurrent.futures import ProcessPoolExecutor


def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    futures = [ProcessPoolExecutor(max_workers=1).submit(fonction, v) for v in valeurs]
    return [f.result() for f in futures]
