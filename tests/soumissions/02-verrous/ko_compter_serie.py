# description: start/join en série
# attendu: compter_en_parallele=1
# message: compter_en_parallele=MSG_SERIE
# %% compter_en_parallele
def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    for _ in range(nb_threads):
        f = threading.Thread(target=incrementer, args=(nb_fois,))
        f.start()
        f.join()
    return compteur
