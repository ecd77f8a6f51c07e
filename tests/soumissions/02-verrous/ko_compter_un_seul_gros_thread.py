# description: un seul thread qui fait tout le travail (incrementer(nb_threads * nb_fois))
# attendu: compter_en_parallele=1
# message: compter_en_parallele=MSG_NB_THREADS
# %% compter_en_parallele
def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    f = threading.Thread(target=incrementer, args=(nb_threads * nb_fois,))
    f.start()
    f.join()
    return compteur
