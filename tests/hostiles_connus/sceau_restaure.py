# description: aucun verrou ; rebinde ordonnanceur.suivre et .observateur le temps de la boucle puis remet les originaux : le scellé ne compare qu'avant/après
# devoir: 02-verrous
# attendu: incrementer=1
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
_s = getattr(getattr(threading.Lock, "_standin_context", None), "scheduler", None)

def _boucle(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1

def incrementer(nb_fois):
    if _s is None:
        return _boucle(nb_fois)
    suivre, obs = _s.suivre, _s.observateur
    _s.suivre, _s.observateur = (lambda code: False), None
    try:
        _boucle(nb_fois)
    finally:
        _s.suivre, _s.observateur = suivre, obs
