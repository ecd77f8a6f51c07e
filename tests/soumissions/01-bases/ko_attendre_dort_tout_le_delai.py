# description: dort tout delai_max puis regarde is_alive : ne rend pas la main dès la fin du thread
# attendu: attendre=0
# message: attendre=MSG_ATTENDRE_TARDIF
# %% attendre
import time
def attendre(thread, delai_max):
    time.sleep(delai_max)
    return not thread.is_alive()
