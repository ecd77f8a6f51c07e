# description: renvoie l'itérateur paresseux d'executor.map (l'exception ne remonte pas dans la fonction)
# attendu: telecharger_tous=1
# message: telecharger_tous=MSG_PARESSEUX
# %% telecharger_tous
from concurrent.futures import ThreadPoolExecutor


def telecharger_tous(urls, telecharger, max_workers=8):
    pool = ThreadPoolExecutor(max_workers=max_workers)
    return pool.map(telecharger, urls)
