# description: glisse une sous-classe séquentielle de Thread dans la table des classes du contexte
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 40
# message: incrementer=MSG_ALTERATION
# %% incrementer
import threading

_Thread = threading.Thread


class _Sequentiel(_Thread):
    def start(self):
        self.run()

    def join(self, timeout=None):
        return None


_table = getattr(getattr(_Thread, "_standin_context", None), "_bound", {})
for _cle, _valeur in list(_table.items()):
    if _valeur is _Thread:
        _table[_cle] = _Sequentiel
compteur = 0
verrou = threading.Lock()


def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
