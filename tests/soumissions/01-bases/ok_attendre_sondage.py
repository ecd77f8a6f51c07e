# description: correct : sonde is_alive() toutes les 50 ms jusqu'à l'échéance (pas d'attente active)
# attendu: attendre=2
# %% attendre
import time
def attendre(thread, delai_max):
    fin = time.monotonic() + delai_max
    while thread.is_alive() and time.monotonic() < fin:
        time.sleep(min(0.05, max(0.0, fin - time.monotonic())))
    return not thread.is_alive()
