# description: renvoie is_alive() : True et False inversés
# attendu: attendre=0
# message: attendre=MSG_ATTENDRE_FAUX
# %% attendre
def attendre(thread, delai_max):
    thread.join(delai_max)
    return thread.is_alive()
