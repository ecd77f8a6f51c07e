# description: « pool » séquentiel
# attendu: calculer_en_parallele=1.6
# message: calculer_en_parallele=MSG_MEME_PROCESSUS
# %% calculer_en_parallele
def calculer_en_parallele(fonction, valeurs, nb_processus=2):
    return [fonction(v) for v in valeurs]
