# description: n'attend que la moitié du délai : False alors que le thread finit avant delai_max
# attendu: attendre=0
# %% attendre
def attendre(thread, delai_max):
    thread.join(delai_max / 2)
    return not thread.is_alive()
