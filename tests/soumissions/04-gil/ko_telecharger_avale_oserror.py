# description: avale les erreurs réseau (OSError) et met None à la place : l'exception ne remonte pas
# attendu: telecharger_tous=3
# message: telecharger_tous=MSG_AVALEE
# %% telecharger_tous
from concurrent.futures import ThreadPoolExecutor

def telecharger_tous(urls, telecharger, max_workers=8):
    def sur(u):
        try:
            return telecharger(u)
        except OSError:
            return None
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        return list(pool.map(sur, urls))
