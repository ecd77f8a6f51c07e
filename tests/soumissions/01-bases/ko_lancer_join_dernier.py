# description: n'attend que le dernier thread ; l'ordre des threads renvoyés reste juste
# attendu: lancer_threads=2
# message: lancer_threads=MSG_PAS_JOINT
# %% lancer_threads
import threading


def lancer_threads(messages):
    fils = [threading.Thread(target=afficher_message, args=m) for m in messages]
    for f in fils:
        f.start()
    if fils:
        fils[-1].join()
    return fils
