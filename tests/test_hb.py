"""Happens-before verdicts and the lost-update story."""
from __future__ import annotations

from autograder.probes.harness import executer
from autograder.probes.recit import LIGNE_RECIT, mise_a_jour_perdue, raconter
from autograder.probes.verdicts import CONSEIL_VERROUS_DISTINCTS, MSG_PERTE, sans_course

from conftest import rendu_de

GABARIT = """
import threading
compteur = 0
verrou = threading.Lock()
def incrementer(n):
    global compteur
    for _ in range(n):
{corps}
"""
VARIANTES = {
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


def test_verdict_independant_de_la_graine():
    for nom, (corps, course) in VARIANTES.items():
        src = GABARIT.format(corps=corps)
        for graine in range(10):
            ex = executer({"incrementer": src}, scenario, graine, globales=["compteur"])
            assert bool(ex.courses) is course, (nom, graine)


def test_file_et_join_ordonnent_les_acces():
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

    for graine in range(10):
        ex = executer({"c": src}, sc, graine, globales=["donnee"])
        assert ex.valeur == 42 and not ex.courses


def test_recit_de_mise_a_jour_perdue():
    src = GABARIT.format(corps=VARIANTES["sans verrou"][0])
    message = sans_course(lambda g: executer({"incrementer": src}, scenario, g, globales=["compteur"]),
                          "incrementer", 40)
    assert rendu_de(MSG_PERTE, message), message
    ex = next(e for g in range(40) if (e := executer({"incrementer": src}, scenario, g, globales=["compteur"])).valeur != 40)
    perte = mise_a_jour_perdue(ex.journal)
    lu = [a for a in perte if a.genre == "lit"]
    assert len(lu) == 2 and lu[0].valeur == lu[1].valeur and lu[0].tache != lu[1].tache
    assert all(a.ligne == 8 for a in perte)
    premiere = LIGNE_RECIT.format(tache=lu[0].tache, ligne=8, genre="lit", variable="compteur", fleche="->",
                                  valeur=lu[0].valeur)
    assert premiere in raconter(perte)


def test_aucun_faux_positif_sur_code_verrouille():
    src = GABARIT.format(corps=VARIANTES["avec verrou"][0])
    assert sans_course(lambda g: executer({"incrementer": src}, scenario, g, globales=["compteur"]),
                       "incrementer", 40, graines_min=50, graines_max=50) is None


def test_ligne_de_l_ecriture_est_celle_de_l_instruction():
    """A write is logged at the next opcode; its line must still be the one of the assignment, not the next."""
    src = GABARIT.format(corps=VARIANTES["verrou par appel"][0])  # line 8: with ..., line 9: compteur += 1
    ex = next(e for g in range(40) if (e := executer({"incrementer": src}, scenario, g, globales=["compteur"])).valeur != 40)
    perte = mise_a_jour_perdue(ex.journal)
    assert perte and {a.ligne for a in perte} == {9}, [(a.genre, a.ligne) for a in perte]


def test_verrou_par_appel_nomme_la_cause():
    """Each thread took a lock of its own: the race verdict says so, and only then."""
    par_appel = GABARIT.format(corps=VARIANTES["verrou par appel"][0])
    message = sans_course(lambda g: executer({"incrementer": par_appel}, scenario, g, globales=["compteur"]),
                          "incrementer", 40)
    assert message.endswith("\n" + CONSEIL_VERROUS_DISTINCTS)
    sans_verrou = GABARIT.format(corps=VARIANTES["sans verrou"][0])
    message = sans_course(lambda g: executer({"incrementer": sans_verrou}, scenario, g, globales=["compteur"]),
                          "incrementer", 40)
    assert CONSEIL_VERROUS_DISTINCTS not in message
