# description: correct, avec une liste en compréhension et join(timeout)
# attendu: afficher_message=2, lancer_threads=4, attendre=2
# %% lancer_threads
def lancer_threads(messages):
    threads = [threading.Thread(target=afficher_message, args=couple) for couple in messages]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return threads
