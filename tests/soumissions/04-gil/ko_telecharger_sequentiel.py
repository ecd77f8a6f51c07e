# description: télécharge l'un après l'autre
# attendu: telecharger_tous=2
# message: telecharger_tous=MSG_APPELANT
# %% telecharger_tous
def telecharger_tous(urls, telecharger, max_workers=8):
    return [telecharger(u) for u in urls]
