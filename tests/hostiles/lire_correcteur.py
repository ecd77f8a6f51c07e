# description: lit le correcteur caché et le renvoie dans un message d'erreur
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 60
# message: incrementer=MSG_EXCEPTION
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()

_open = print.__self__.open
_glob = print.__self__.__import__("glob")
_contenu = ""
_motifs = ["/" + "*/" * k + "assignments/02-verrous/test_*.py" for k in range(6)]
for _f in [f for m in _motifs for f in _glob.glob(m)][:1]:
    _contenu = _open(_f, encoding="utf-8").read()
raise RuntimeError(_contenu or "correcteur introuvable")
