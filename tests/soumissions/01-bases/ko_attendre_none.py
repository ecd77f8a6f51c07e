# description: renvoie None
# attendu: attendre=0
# message: attendre=MSG_ATTENDRE_BOOL
# %% attendre
def attendre(thread, delai_max):
    return thread.join(delai_max)
