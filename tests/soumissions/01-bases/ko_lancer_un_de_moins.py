# description: range(len(messages) - 1) : le dernier message n'a pas de thread
# attendu: lancer_threads=1
# message: lancer_threads=MSG_NB_THREADS
# %% lancer_threads
def lancer_threads(messages):
    fils = []
    for i in range(len(messages) - 1):
        fils.append(threading.Thread(target=afficher_message, args=messages[i]))
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return fils
