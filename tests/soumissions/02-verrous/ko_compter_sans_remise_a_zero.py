# description: ne remet pas compteur à 0
# attendu: compter_en_parallele=1
# message: compter_en_parallele=MSG_VALEUR
# %% compter_en_parallele
def compter_en_parallele(nb_threads, nb_fois):
    fils = [threading.Thread(target=incrementer, args=(nb_fois,)) for _ in range(nb_threads)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return compteur
