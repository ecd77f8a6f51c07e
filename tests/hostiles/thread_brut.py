# description: aucun verrou : la boucle tourne dans un thread _thread brut (inconnu de l'ordonnanceur, non tracé) que l'appelant attend sur un verrou réel ; démarrer ce thread est refusé
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 40
# message: incrementer=MSG_REAL_THREAD
# %% incrementer
import threading
import _thread
compteur = 0
verrou = threading.Lock()

def _boucle(nb_fois, fini):
    global compteur
    try:
        for _ in range(nb_fois):
            compteur += 1
    finally:
        fini.release()

def incrementer(nb_fois):
    fini = _thread.allocate_lock()
    fini.acquire()
    _thread.start_new_thread(_boucle, (nb_fois, fini))
    fini.acquire()
