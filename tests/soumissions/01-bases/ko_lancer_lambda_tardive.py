# description: lambda qui capture la variable de boucle (liaison tardive) : tous affichent le dernier message
# attendu: lancer_threads=3
# message: lancer_threads=MSG_LAMBDA
# %% lancer_threads
def lancer_threads(messages):
    fils = []
    for message, delai in messages:
        fils.append(threading.Thread(target=lambda: afficher_message(message, delai)))
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return fils
