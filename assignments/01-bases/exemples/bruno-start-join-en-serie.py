# description: démarre et attend chaque thread dans la même boucle (exécution en série)
# attendu: afficher_message=2, lancer_threads=1, attendre=2
# %% lancer_threads
def lancer_threads(messages):
    threads = []
    for message, delai in messages:
        t = threading.Thread(target=afficher_message, args=(message, delai))
        t.start()
        t.join()
        threads.append(t)
    return threads
