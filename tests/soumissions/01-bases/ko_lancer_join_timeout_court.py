# description: join(timeout=0.5) : le thread de 2 s tourne encore au retour
# attendu: lancer_threads=2
# message: lancer_threads=MSG_PAS_JOINT
# %% lancer_threads
def lancer_threads(messages):
    fils = [threading.Thread(target=afficher_message, args=c) for c in messages]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=0.5)
    return fils
