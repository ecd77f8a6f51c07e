"""Happens-before verdicts and the lost-update story."""
from __future__ import annotations

from autograder.probes.harness import executer
from autograder.probes.story import STORY_LINE, lost_update, tell
from autograder.probes.verdicts import CONSEIL_VERROUS_DISTINCTS, MSG_PERTE, race_free

from conftest import renders

TEMPLATE = """
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(n):
    global compteur
    for _ in range(n):
{corps}
"""
VARIANTS = {
    "sans verrou": ("        compteur += 1", True),
    "verrou par appel": ("        with threading.Lock():\n            compteur += 1", True),
    "lecture seule protégée": ("        with verrou:\n            v = compteur\n        compteur = v + 1", True),
    "avec verrou": ("        with verrou:\n            compteur += 1", False),
    "acquire/finally": ("        verrou.acquire()\n        try:\n            compteur += 1\n"
                        "        finally:\n            verrou.release()", False),
}


def scenario(ctx):
    fils = [ctx.threading.Thread(target=ctx["incrementer"], args=(20,)) for _ in range(2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    return ctx.ns["compteur"]


def test_verdict_independent_of_seed():
    for nom, (body, race) in VARIANTS.items():
        src = TEMPLATE.format(corps=body)
        for seed in range(10):
            ex = executer({"incrementer": src}, scenario, seed, globales=["compteur"])
            assert bool(ex.courses) is race, (nom, seed)


def test_file_and_join_order_access():
    src = """
import threading, queue
donnee = 0
def producteur(f):
    global donnee
    donnee = 42
    f.put("prêt")
def consommateur(f):
    f.get()
    return donnee
"""

    def sc(ctx):
        f = ctx.queue.Queue()
        p = ctx.threading.Thread(target=ctx["producteur"], args=(f,))
        p.start()
        valeur = ctx["consommateur"](f)
        p.join()
        return valeur

    for seed in range(10):
        ex = executer({"c": src}, sc, seed, globales=["donnee"])
        assert ex.valeur == 42 and not ex.courses


def test_lost_update_story():
    src = TEMPLATE.format(corps=VARIANTS["sans verrou"][0])
    message = race_free(lambda g: executer({"incrementer": src}, scenario, g, globales=["compteur"]),
                          "incrementer", 40)
    assert renders(MSG_PERTE, message), message
    ex = next(e for g in range(40) if (e := executer({"incrementer": src}, scenario, g, globales=["compteur"])).valeur != 40)
    loss = lost_update(ex.journal)
    read = [a for a in loss if a.genre == "lit"]
    assert len(read) == 2 and read[0].valeur == read[1].valeur and read[0].task != read[1].task
    assert all(a.line == 8 for a in loss)
    first = STORY_LINE.format(tache=read[0].task, ligne=8, genre="lit", variable="compteur", fleche="->",
                                  valeur=read[0].valeur)
    assert first in tell(loss)


def test_no_false_positive_on_code_locked():
    src = TEMPLATE.format(corps=VARIANTS["avec verrou"][0])
    assert race_free(lambda g: executer({"incrementer": src}, scenario, g, globales=["compteur"]),
                       "incrementer", 40, seeds_min=50, seeds_max=50) is None


def test_line_of_write_is_the_one_of_instruction():
    """A write is logged at the next opcode; its line must still be the one of the assignment, not the next."""
    src = TEMPLATE.format(corps=VARIANTS["verrou par appel"][0])  # line 8: with ..., line 9: compteur += 1
    ex = next(e for g in range(40) if (e := executer({"incrementer": src}, scenario, g, globales=["compteur"])).valeur != 40)
    loss = lost_update(ex.journal)
    assert loss and {a.line for a in loss} == {9}, [(a.genre, a.line) for a in loss]


def test_lock_by_call_named_cause():
    """Each thread took a lock of its own: the race verdict says so, and only then."""
    by_call = TEMPLATE.format(corps=VARIANTS["verrou par appel"][0])
    message = race_free(lambda g: executer({"incrementer": by_call}, scenario, g, globales=["compteur"]),
                          "incrementer", 40)
    assert message.endswith("\n" + CONSEIL_VERROUS_DISTINCTS)
    without_lock = TEMPLATE.format(corps=VARIANTS["sans verrou"][0])
    message = race_free(lambda g: executer({"incrementer": without_lock}, scenario, g, globales=["compteur"]),
                          "incrementer", 40)
    assert CONSEIL_VERROUS_DISTINCTS not in message
