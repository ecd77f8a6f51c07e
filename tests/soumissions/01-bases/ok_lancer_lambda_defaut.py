# description: correct : lambda qui fige les valeurs avec des arguments par défaut
# attendu: lancer_threads=4
# %% lancer_threads
def lancer_threads(messages):
    fils = []
    for message, delai in messages:
        fils.append(threading.Thread(target=lambda m=message, d=delai: afficher_message(m, d)))
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return fils
