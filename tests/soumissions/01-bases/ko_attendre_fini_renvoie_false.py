# description: « pas vivant = pas démarré » : renvoie False pour un thread déjà terminé avant l'appel
# attendu: attendre=0
# %% attendre
def attendre(thread, delai_max):
    if not thread.is_alive():
        return False
    thread.join(delai_max)
    return not thread.is_alive()
