# description: attend ses threads en boucle active sur is_alive()
# attendu: compter_en_parallele=1
# message: compter_en_parallele=MSG_ATTENTE_ACTIVE
# %% compter_en_parallele
def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    fils = [threading.Thread(target=incrementer, args=(nb_fois,)) for _ in range(nb_threads)]
    for f in fils:
        f.start()
    while any(f.is_alive() for f in fils):
        pass
    return compteur
