# description: Barrier(nb_threads + 1) : le dernier participant n'arrive jamais
# attendu: compter_en_parallele=0
# message: compter_en_parallele=MSG_INTERBLOCAGE
# %% compter_en_parallele
import threading

def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    depart = threading.Barrier(nb_threads + 1)
    def tache():
        depart.wait()
        incrementer(nb_fois)
    fils = [threading.Thread(target=tache) for _ in range(nb_threads)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return compteur
