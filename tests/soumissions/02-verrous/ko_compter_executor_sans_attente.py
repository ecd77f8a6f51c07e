# description: ThreadPoolExecutor sans shutdown ni result() : renvoie avant la fin des calculs
# attendu: compter_en_parallele=0
# message: compter_en_parallele=MSG_PAS_JOINT
# %% compter_en_parallele
import concurrent.futures

def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    ex = concurrent.futures.ThreadPoolExecutor(max_workers=nb_threads)
    for _ in range(nb_threads):
        ex.submit(incrementer, nb_fois)
    return compteur
