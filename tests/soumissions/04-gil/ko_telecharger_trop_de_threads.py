# description: ignore max_workers
# attendu: telecharger_tous=2
# message: telecharger_tous=MSG_TROP
# %% telecharger_tous
from concurrent.futures import ThreadPoolExecutor
def telecharger_tous(urls, telecharger, max_workers=8):
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        return list(pool.map(telecharger, urls))
