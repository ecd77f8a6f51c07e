# description: correct : pool.map, BrokenThreadPool (concurrent.futures.thread) transformé en message clair
# attendu: telecharger_tous=4
# %% telecharger_tous
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.thread import BrokenThreadPool

def telecharger_tous(urls, telecharger, max_workers=8):
    try:
        with ThreadPoolExecutor(max_workers=max_workers) as pool:
            return list(pool.map(telecharger, urls))
    except BrokenThreadPool as e:
        raise RuntimeError("pool de threads cassé") from e
