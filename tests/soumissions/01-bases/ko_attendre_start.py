# description: démarre le thread reçu (déjà démarré : RuntimeError)
# attendu: attendre=0
# %% attendre
def attendre(thread, delai_max):
    if not thread.is_alive():
        thread.start()
    thread.join(delai_max)
    return not thread.is_alive()
