# description: correct : kwargs et noms de threads, join dans une boucle séparée
# attendu: lancer_threads=4
# %% lancer_threads
import threading
def lancer_threads(messages):
    fils = [threading.Thread(target=afficher_message, kwargs={"message": m, "delai": d}, name=f"afficheur-{i}")
            for i, (m, d) in enumerate(messages)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return fils
