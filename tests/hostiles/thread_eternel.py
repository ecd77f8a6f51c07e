# description: un thread non démon qui ne finit jamais : la correction se termine quand même
# devoir: 04-gil
# attendu: 
# duree_max: 30
# %% telecharger_tous
import threading, time
threading.Thread(target=time.sleep, args=(10 ** 6,)).start()
from concurrent.futures import ThreadPoolExecutor
def telecharger_tous(urls, telecharger, max_workers=8):
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        return list(pool.map(telecharger, urls))
