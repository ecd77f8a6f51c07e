# description: efface en place les courses de l'observateur (atteint par threading.Lock) : la valeur perdue reste vue
# devoir: 02-verrous
# attendu: incrementer=1
# duree_max: 40
# message: incrementer=MSG_VALEUR
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
_contexte = getattr(threading.Lock, "_standin_context", None)


def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
    o = getattr(_contexte, "observer", None)
    if o is not None:
        for nom in ("courses", "journal"):
            getattr(o, nom).clear()
