# description: threads démons jamais attendus : renvoie compteur avant la fin des calculs
# attendu: compter_en_parallele=0
# message: compter_en_parallele=MSG_VALEUR
# %% compter_en_parallele
def compter_en_parallele(nb_threads, nb_fois):
    global compteur
    compteur = 0
    for _ in range(nb_threads):
        threading.Thread(target=incrementer, args=(nb_fois,), daemon=True).start()
    return compteur
