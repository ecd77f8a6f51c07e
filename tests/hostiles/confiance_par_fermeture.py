# description: sans verrou, ajoute son code à la table « de confiance » du traçage (fermeture de ordonnanceur.suivre) pour ne plus être interrompu : la règle de traçage est figée, la course est vue
# devoir: 02-verrous
# attendu: incrementer=1
# duree_max: 40
# %% incrementer
import threading, types
compteur = 0
verrou = threading.Lock()

_src = '''
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
'''
_mc = compile(_src, "<cellule incrementer>", "exec")
_ctx = getattr(threading.Lock, "_standin_context", None)
_sched = getattr(_ctx, "scheduler", None)
_suivre = getattr(_sched, "suivre", None)
for _cell in (getattr(_suivre, "__closure__", None) or ()):
    _d = _cell.cell_contents
    if isinstance(_d, dict) and len(_d) > 1000:
        for _k in _mc.co_consts:
            if isinstance(_k, types.CodeType):
                _d[id(_k)] = _k
exec(_mc, globals())
