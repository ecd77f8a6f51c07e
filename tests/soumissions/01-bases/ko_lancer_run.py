# description: run() au lieu de start()
# attendu: lancer_threads=0
# message: lancer_threads=MSG_RUN
# %% lancer_threads
def lancer_threads(messages):
    fils = [threading.Thread(target=afficher_message, args=c) for c in messages]
    for f in fils:
        f.run()
    return fils
