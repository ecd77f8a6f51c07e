# description: [t.start() or t.join() for t in fils] : chaque thread est attendu avant de démarrer le suivant
# attendu: lancer_threads=1
# message: lancer_threads=MSG_SERIE
# %% lancer_threads
def lancer_threads(messages):
    fils = [threading.Thread(target=afficher_message, args=c) for c in messages]
    [f.start() or f.join() for f in fils]
    return fils
