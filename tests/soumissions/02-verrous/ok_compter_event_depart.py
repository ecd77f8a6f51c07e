# description: correct : les threads attendent un Event de départ, positionné une fois tous démarrés
# attendu: compter_en_parallele=2
# %% compter_en_parallele
def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    depart = threading.Event()
    def tache():
        depart.wait()
        incrementer(nb_fois)
    fils = [threading.Thread(target=tache) for _ in range(nb_threads)]
    for f in fils:
        f.start()
    depart.set()
    for f in fils:
        f.join()
    return compteur
