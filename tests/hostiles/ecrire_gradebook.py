# description: cherche le dossier du cours par /proc pour écrire dans le gradebook (dans la prison, le /proc des autres processus lui est fermé, la cellule échoue au chargement)
# devoir: 02-verrous
# attendu: incrementer=0
# duree_max: 30
# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
_os = print.__self__.__import__('os')

_cible = _os.readlink(f"/proc/{_os.getppid()}/cwd") + "/gradebook.db"  # the course root
_o = print.__self__.open
for _f in (_cible, _cible + ".pirate"):
    _o(_f, "a").write("piraté")

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        with verrou:
            compteur += 1
