# description: join() sans timeout
# attendu: attendre=0
# message: attendre=MSG_ATTENDRE_FAUX
# %% attendre
def attendre(thread, delai_max):
    thread.join()
    return True
