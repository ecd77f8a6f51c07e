# description: start/join en série
# attendu: lancer_threads=1
# message: lancer_threads=MSG_SERIE
# %% lancer_threads
def lancer_threads(messages):
    fils = []
    for c in messages:
        f = threading.Thread(target=afficher_message, args=c)
        f.start()
        f.join()
        fils.append(f)
    return fils
