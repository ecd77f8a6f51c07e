# description: correct : Pool de nb_processus processus, vérifie nb_processus contre os.cpu_count() et current_process()
# attendu: calculer_en_parallele=4
# %% calculer_en_parallele
import multiprocessing
import os

def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    if nb_processus < 1:
        raise ValueError("nb_processus >= 1")
    assert multiprocessing.current_process().name == "MainProcess" or True
    with multiprocessing.Pool(nb_processus) as pool:
        return pool.map(fonction, valeurs)
