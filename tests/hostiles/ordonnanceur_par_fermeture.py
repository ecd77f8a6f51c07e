# description: atteint l'ordonnanceur (fermetures des méthodes de Lock, contexte de la classe) et coupe le traçage
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 40
# message: incrementer=MSG_ALTERATION
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()

def _couper():
    for f in vars(threading.Lock).values():
        for c in getattr(f, "__closure__", None) or ():
            try:
                o = c.cell_contents
            except ValueError:
                continue
            if hasattr(o, "suivre"):
                o.suivre = lambda code: False
                o.observateur = None
    o = getattr(getattr(threading.Lock, "_standin_context", None), "scheduler", None)
    if o is not None:
        o.suivre = lambda code: False
        o.observateur = None

_couper()

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
