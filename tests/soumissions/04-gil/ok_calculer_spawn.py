# description: correct : ProcessPoolExecutor avec le contexte spawn (macOS, Windows) et chunksize
# attendu: calculer_en_parallele=4
# %% calculer_en_parallele
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=nb_processus, mp_context=ctx) as ex:
        return list(ex.map(fonction, valeurs, chunksize=2))
