# description: run() au lieu de start()
# attendu: compter_en_parallele=1
# message: compter_en_parallele=MSG_RUN
# %% compter_en_parallele
def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    fils = [threading.Thread(target=incrementer, args=(nb_fois,)) for _ in range(nb_threads)]
    for f in fils:
        f.run()
    return compteur
