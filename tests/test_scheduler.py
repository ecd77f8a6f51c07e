"""The controlled scheduler: same seed same schedule, virtual time, deadlocks, busy waiting."""
from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest

from autograder.probes.harness import executer
from autograder.probes.french import thread_name
from autograder.probes.verdicts import (CONSEIL_ORDRE, CONSEIL_REENTRANT, MSG_ATTENTE_ACTIVE, MSG_INTERBLOCAGE,
                                        problem)

UNPROTECTED = """
import threading
compteur = 0
def incrementer(n):
    global compteur
    for _ in range(n):
        compteur += 1
"""


def two_threads(ctx):
    fils = [ctx.threading.Thread(target=ctx["incrementer"], args=(30,)) for _ in range(2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return ctx.ns["compteur"]


def trace(seed: int) -> list:
    ex = executer({"incrementer": UNPROTECTED}, two_threads, seed, globales=["compteur"])
    return [ex.valeur, [(a.task, a.line, a.genre, a.valeur) for a in ex.journal]]


def test_same_seed_same_scheduling():
    assert trace(7) == trace(7)
    assert trace(7) != trace(8)


@pytest.mark.slow
def test_same_seed_in_a_other_process():
    code = ("import json, sys; sys.path.insert(0, 'tests'); from test_scheduler import trace; "
            "print(json.dumps(trace(7)))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(output) == json.loads(json.dumps(trace(7)))


def test_clock_virtual_without_wait_real():
    debut = time.perf_counter()
    ex = executer({"c": "import time\ndef f():\n    time.sleep(1000)\n"}, lambda ctx: ctx["f"]())
    assert time.perf_counter() - debut < 5
    assert 1000 <= ex.duree_virtuelle < 1000.01


def test_deadlock_named_this_that_each_thread_waits():
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

    for seed in range(30):
        ex = executer({"c": src}, scenario, seed)
        if ex.interblocage:
            break
    assert ex.interblocage is not None
    assert sorted(ex.interblocage) == ["T0 attend la fin de T1 (join)", "T1 attend un verrou détenu par T2 (ligne 6)",
                                       "T2 attend un verrou détenu par T1 (ligne 10)"]
    detail = "\n".join(f"    {thread_name(line[:2])}{line[2:]}" for line in ex.interblocage)
    assert problem(ex, "le scénario") == MSG_INTERBLOCAGE.format(quoi="le scénario", detail=detail,
                                                                  conseil=CONSEIL_ORDRE.format(threads="T1 et T2"))


def test_order_of_locks_found_in_some_seeds_by_strategy_uniform():
    """A switch allowed at every step finds the lock-order inversion of deposit/withdraw within 8 seeds."""
    src = """
import threading
a, b = threading.Lock(), threading.Lock()
def un():
    for _ in range(3):
        with a:
            with b:
                pass
def deux():
    for _ in range(3):
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

    assert any(executer({"c": src}, scenario, g, strategie="uniforme").interblocage for g in range(8))


def test_lock_retaken_by_its_holder():
    src = """
import threading
v = threading.Lock()
def f():
    with v:
        with v:
            pass
"""
    ex = executer({"c": src}, lambda ctx: ctx["f"]())
    assert ex.interblocage == ["T0 attend un verrou qu'il détient déjà (ligne 6)"]
    assert CONSEIL_REENTRANT.format(thread="T0 (le thread principal)") in problem(ex, "f")


def test_a_single_name_by_thread():
    """The lifecycle log names a thread as the scheduler does (start order), whatever the creation order."""
    src = """
import threading
def rien():
    pass
"""

    def scenario(ctx):
        first_one, second = ctx.threading.Thread(target=ctx["rien"]), ctx.threading.Thread(target=ctx["rien"])
        second.start()
        first_one.start()
        return ctx.cycle.label(second), ctx.cycle.label(first_one)

    ex = executer({"c": src}, scenario)
    assert ex.valeur == ("T1", "T2")
    assert ex.cycle.demarres() == ["T1", "T2"]


def test_wait_active_bounded():
    src = """
import threading
pret = False
def attendre():
    while not pret:
        pass
"""
    ex = executer({"c": src}, lambda ctx: ctx["attendre"](), pas_max=5_000)
    assert ex.attente_active
    assert problem(ex, "attendre") == MSG_ATTENTE_ACTIVE.format(quoi="attendre", pas="5\u202f000")


def test_get_with_timeout_on_file_empty():
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


def test_exception_in_a_thread_is_collected():
    src = "def echouer():\n    raise KeyError('x')\n"

    def scenario(ctx):
        t = ctx.threading.Thread(target=ctx["echouer"])
        t.start()
        t.join()

    ex = executer({"c": src}, scenario)
    assert ex.exceptions_threads and ex.exceptions_threads[0][1].startswith("KeyError")


def test_modules_fake_new_to_each_execution():
    """A student who replaces time.sleep changes only their own run's module."""
    src = "import time\ntime.sleep = lambda s: None\n"
    executer({"c": src}, lambda ctx: None)
    ex = executer({"c": "import time\ndef f():\n    time.sleep(2)\n"}, lambda ctx: ctx["f"]())
    assert ex.duree_virtuelle >= 2


def test_thread_blocked_to_end_without_false_exception():
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


def test_loading_never_account():
    """A trial call left in a cell (threads included) runs untraced, and nothing of it is charged to the check:
    not its threads, its steps, its virtual time nor its output."""
    src = UNPROTECTED + """
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
        assert ex.valeur == 101 and ex.own
        assert ex.cycle.demarres() == ["T1"] and ex.duree_virtuelle < 1 and ex.output == ""
        assert ex.journal == [] or all(a.task == "T1" or a.task == "T0" for a in ex.journal)
    attempt = UNPROTECTED + "incrementer(300_000)\n"  # > PAS_MAX_DEFAUT steps if it were traced
    ex = executer({"incrementer": attempt}, lambda ctx: ctx.ns["compteur"])
    assert ex.valeur == 300_000 and not ex.attente_active and ex.pas == 0


def test_file_expose_unfinished_tasks():
    """queue.Queue.unfinished_tasks exists on the stand-in: code that reads it must not crash at grading."""
    src = """
import queue
def f():
    file = queue.Queue()
    file.put(1)
    file.put(2)
    avant = file.unfinished_tasks
    file.get()
    file.task_done()
    return avant, file.unfinished_tasks
"""
    assert executer({"c": src}, lambda ctx: ctx["f"]()).valeur == (2, 1)


def test_draws_match_randrange_for_the_same_seed() -> None:
    """Grades depend on seeded schedules: the scheduler's own draw must stay CPython's randrange."""
    import random

    from autograder.probes.scheduler import Scheduler
    for seed in range(300):
        o, reference = Scheduler(seed), random.Random(seed)
        for n in (1, 2, 3, 5, 7, 8):
            assert o._random_below(n) == reference.randrange(n)
        assert o._random() == reference.random()


def test_patched_random_class_cannot_steer_the_schedule() -> None:
    import random

    from autograder.probes.scheduler import Scheduler
    o = Scheduler(7)
    attendu = [random.Random(7).random()]
    originals = {k: random.Random.__dict__.get(k) for k in ("random", "getrandbits")}
    try:
        random.Random.random = lambda self: 0.0
        random.Random.getrandbits = lambda self, k: 0
        assert [o._random()] == attendu
    finally:
        for k, v in originals.items():
            if v is None:
                delattr(random.Random, k)
            else:
                setattr(random.Random, k, v)
