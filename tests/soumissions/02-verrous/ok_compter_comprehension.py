# description: correct : compréhensions de liste
# attendu: compter_en_parallele=2
# %% compter_en_parallele
def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    fils = [threading.Thread(target=incrementer, args=(nb_fois,)) for _ in range(nb_threads)]
    [f.start() for f in fils]
    [f.join() for f in fils]
    return compteur
