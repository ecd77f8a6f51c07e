# description: attend les threads en boucle active sur is_alive() au lieu de join()
# attendu: lancer_threads=0
# message: lancer_threads=MSG_ATTENTE_ACTIVE
# %% lancer_threads
def lancer_threads(messages):
    fils = [threading.Thread(target=afficher_message, args=c) for c in messages]
    for f in fils:
        f.start()
    while any(f.is_alive() for f in fils):
        pass
    return fils
