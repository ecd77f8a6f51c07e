# description: correct : join(timeout) puis is_alive, en une ligne
# attendu: attendre=2
# %% attendre
def attendre(thread, delai_max):
    thread.join(timeout=delai_max)
    return not thread.is_alive()
