# description: aucun verrou : la boucle tourne dans un thread du vrai module threading, atteint par traceback.sys.modules (non tracé, jamais interrompu) ; démarrer ce thread est refusé
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 40
# message: incrementer=MSG_REAL_THREAD
# %% incrementer
import threading
import traceback
compteur = 0
verrou = threading.Lock()
_vrai = traceback.sys.modules["threading"]

def _boucle(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1

def incrementer(nb_fois):
    t = _vrai.Thread(target=_boucle, args=(nb_fois,))
    t.start()
    t.join()
