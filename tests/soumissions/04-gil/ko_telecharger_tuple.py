# description: renvoie un tuple au lieu d'une liste
# attendu: telecharger_tous=3
# message: telecharger_tous=MSG_PAS_UNE_LISTE
# %% telecharger_tous
from concurrent.futures import ThreadPoolExecutor

def telecharger_tous(urls, telecharger, max_workers=8):
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        return tuple(pool.map(telecharger, urls))
