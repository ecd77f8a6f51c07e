# description: correct : join(timeout) par petites tranches
# attendu: attendre=2
# %% attendre
import time
def attendre(thread, delai_max):
    fin = time.monotonic() + delai_max
    while thread.is_alive() and time.monotonic() < fin:
        thread.join(min(0.05, max(0.0, fin - time.monotonic())))
    return not thread.is_alive()
