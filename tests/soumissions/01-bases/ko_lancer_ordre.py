# description: renvoie les threads à l'envers
# attendu: lancer_threads=3
# message: lancer_threads=MSG_ORDRE
# %% lancer_threads
def lancer_threads(messages):
    fils = [threading.Thread(target=afficher_message, args=c) for c in messages]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return fils[::-1]
