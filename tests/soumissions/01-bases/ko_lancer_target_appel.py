# description: target=afficher_message(m, d) : la fonction est appelée au lieu d'être passée
# attendu: lancer_threads=2
# message: lancer_threads=MSG_APPEL_DIRECT
# %% lancer_threads
def lancer_threads(messages):
    fils = [threading.Thread(target=afficher_message(m, d)) for m, d in messages]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return fils
