# description: écrit un JSON imbriqué sur cent mille niveaux dans tous les descripteurs ouverts
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 40
# message: incrementer=MSG_PREUVE_INVALIDE
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
_os = print.__self__.__import__("os")
for _fd in range(3, 40):
    try:
        _os.set_blocking(_fd, False)
        _os.write(_fd, b'{"statut": "ok", "preuve": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n")
    except OSError:
        pass

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
