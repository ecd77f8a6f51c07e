# description: join(int(delai_max)) : 0,5 s devient 0 s
# attendu: attendre=0
# %% attendre
def attendre(thread, delai_max):
    thread.join(int(delai_max))
    return not thread.is_alive()
