# description: correct : démarre au fil de la création, puis join, renvoie une copie de la liste
# attendu: lancer_threads=4
# %% lancer_threads
def lancer_threads(messages):
    fils = []
    for message, delai in messages:
        t = threading.Thread(target=afficher_message, args=(message, delai))
        t.start()
        fils.append(t)
    for t in fils:
        t.join()
    return list(fils)
