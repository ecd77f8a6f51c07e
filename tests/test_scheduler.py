"""The controlled scheduler: same seed same schedule, virtual time, deadlocks, busy waiting."""
from __future__ import annotations

import json
import subprocess
import sys
import time

from autograder.probes.harness import executer
from autograder.probes.verdicts import MSG_ATTENTE_ACTIVE, MSG_INTERBLOCAGE, probleme

NON_PROTEGE = """
import threading
compteur = 0
def incrementer(n):
    global compteur
    for _ in range(n):
        compteur += 1
"""


def deux_threads(ctx):
    fils = [ctx.threading.Thread(target=ctx["incrementer"], args=(30,)) for _ in range(2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return ctx.ns["compteur"]


def trace(graine: int) -> list:
    ex = executer({"incrementer": NON_PROTEGE}, deux_threads, graine, globales=["compteur"])
    return [ex.valeur, [(a.tache, a.ligne, a.genre, a.valeur) for a in ex.journal]]


def test_meme_graine_meme_ordonnancement():
    assert trace(7) == trace(7)
    assert trace(7) != trace(8)


def test_meme_graine_dans_un_autre_processus():
    code = ("import json, sys; sys.path.insert(0, 'tests'); from test_scheduler import trace; "
            "print(json.dumps(trace(7)))")
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(sortie) == json.loads(json.dumps(trace(7)))


def test_horloge_virtuelle_sans_attente_reelle():
    debut = time.perf_counter()
    ex = executer({"c": "import time\ndef f():\n    time.sleep(1000)\n"}, lambda ctx: ctx["f"]())
    assert time.perf_counter() - debut < 5
    assert 1000 <= ex.duree_virtuelle < 1000.01


def test_interblocage_nomme_ce_que_chaque_thread_attend():
    src = """
import threading
a, b = threading.Lock(), threading.Lock()
def un():
    with a:
        with b:
            pass
def deux():
    with b:
        with a:
            pass
"""

    def scenario(ctx):
        fils = [ctx.threading.Thread(target=ctx["un"]), ctx.threading.Thread(target=ctx["deux"])]
        for f in fils:
            f.start()
        for f in fils:
            f.join()

    for graine in range(30):
        ex = executer({"c": src}, scenario, graine)
        if ex.interblocage:
            break
    assert ex.interblocage is not None
    message = probleme(ex, "le scénario")
    assert message.startswith(MSG_INTERBLOCAGE.split("{")[0])
    assert "T1 attend un verrou" in message and "T2 attend un verrou" in message


def test_attente_active_bornee():
    src = """
import threading
pret = False
def attendre():
    while not pret:
        pass
"""
    ex = executer({"c": src}, lambda ctx: ctx["attendre"](), pas_max=5_000)
    assert ex.attente_active
    assert probleme(ex, "attendre").startswith(MSG_ATTENTE_ACTIVE.split("{")[0])


def test_get_avec_delai_sur_file_vide():
    src = """
import queue
def lire():
    try:
        queue.Queue().get(timeout=3)
    except queue.Empty:
        return "vide"
"""
    ex = executer({"c": src}, lambda ctx: ctx["lire"]())
    assert ex.valeur == "vide" and 3 <= ex.duree_virtuelle < 3.01


def test_exception_dans_un_thread_est_recueillie():
    src = "def echouer():\n    raise KeyError('x')\n"

    def scenario(ctx):
        t = ctx.threading.Thread(target=ctx["echouer"])
        t.start()
        t.join()

    ex = executer({"c": src}, scenario)
    assert ex.exceptions_threads and ex.exceptions_threads[0][1].startswith("KeyError")


def test_modules_factices_neufs_a_chaque_execution():
    """A student who replaces time.sleep changes only their own run's module."""
    src = "import time\ntime.sleep = lambda s: None\n"
    executer({"c": src}, lambda ctx: None)
    ex = executer({"c": "import time\ndef f():\n    time.sleep(2)\n"}, lambda ctx: ctx["f"]())
    assert ex.duree_virtuelle >= 2


def test_thread_bloque_a_la_fin_sans_fausse_exception():
    """Unwinding a thread stuck in Condition.wait at the end must not be told as its own RuntimeError."""
    src = """
import threading
cv = threading.Condition()
def attendre_toujours():
    with cv:
        cv.wait()
def f():
    threading.Thread(target=attendre_toujours).start()
"""
    ex = executer({"c": src}, lambda ctx: ctx["f"]())
    assert ex.exceptions_threads == []
    assert ex.bloques_a_la_fin and "Condition" in ex.bloques_a_la_fin[0]


def test_chargement_jamais_compte():
    """A trial call left in a cell (threads included) runs untraced, and nothing of it is charged to the check:
    not its threads, its steps, its virtual time nor its output."""
    src = NON_PROTEGE + """
autre = threading.Thread(target=incrementer, args=(50,))
autre.start()
incrementer(50)
autre.join()
time.sleep(2)
print("essai")
"""

    def scenario(ctx):
        t = ctx.threading.Thread(target=ctx["incrementer"], args=(1,))
        t.start()
        t.join()
        return ctx.ns["compteur"]

    for g in range(5):
        ex = executer({"incrementer": "import time\n" + src}, scenario, g)
        assert ex.valeur == 101 and ex.propre
        assert ex.cycle.demarres() == ["thread n°1"] and ex.duree_virtuelle < 1 and ex.sortie == ""
        assert ex.journal == [] or all(a.tache == "T1" or a.tache == "T0" for a in ex.journal)
    essai = NON_PROTEGE + "incrementer(300_000)\n"  # > PAS_MAX_DEFAUT steps if it were traced
    ex = executer({"incrementer": essai}, lambda ctx: ctx.ns["compteur"])
    assert ex.valeur == 300_000 and not ex.attente_active and ex.pas == 0
