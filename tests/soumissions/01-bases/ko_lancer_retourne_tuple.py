# description: renvoie un tuple de threads au lieu d'une liste
# attendu: lancer_threads=3
# message: lancer_threads=MSG_RETOUR
# %% lancer_threads
def lancer_threads(messages):
    fils = tuple(threading.Thread(target=afficher_message, args=c) for c in messages)
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return fils
