# description: target=incrementer(nb_fois) : incrementer tourne dans le thread principal
# attendu: compter_en_parallele=1
# message: compter_en_parallele=MSG_APPEL_DIRECT
# %% compter_en_parallele
def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    fils = [threading.Thread(target=incrementer(nb_fois)) for _ in range(nb_threads)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return compteur
