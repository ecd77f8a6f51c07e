"""The public self-check, in process: catalogue mistakes caught, correct alternatives pass, seeds replay."""
from __future__ import annotations

import linecache
import re

import pytest

from autograder.assignment import charger_devoir
from autograder.engine import MSG_DELAI_TACHE
from autograder.probes.api import MSG_NON_IMPLEMENTE
from autograder.probes.harness import executer, nom_fichier
from autograder.probes.recit import mise_a_jour_perdue
from autograder.probes.verdicts import MSG_PERTE, course_ou_perte
from autograder.samples import ecrire_variante, sections
from autograder.selfcheck import (MSG_REJOUER, MSG_REUSSI, TASKS, WIDTH, SelfCheckFailed, check, report_text,
                                  run_checks, timeline)
from autograder.selfcheck_checks import incrementer_scenario
from autograder.selfcheck_source import MSG_PAS_DEFINI, SourceNotFound, cell_source
from autograder.selfcheck_timeline import QUOTE, TITLE, step_text

from conftest import CATALOGUE, RACINE, noter_cli
from selfcheck_helpers import DEVOIRS, cas_catalogue, constante, points, solutions, template

CAS = cas_catalogue(exemples=True)
KO = [c for c in CAS if c[4] is not None]
OK = [c for c in CAS if c[4] is None]
SANS_VERROU = sections((CATALOGUE / "02-verrous" / "ko_sans_verrou.py").read_text(encoding="utf-8"))["incrementer"]


def test_every_graded_task_has_public_checks():
    for d in DEVOIRS:
        assert {t.id for t in charger_devoir(RACINE, d).taches if t.id != "analyse_gil"} <= set(TASKS)
        assert all(TASKS[t].assignment == d for t in points(d) if t in TASKS)


def test_public_seeds_are_not_the_graders():
    """The graders explore seeds 0-39: the public checks have their own."""
    for spec in TASKS.values():
        for c in spec.checks:
            assert not set(c.seeds) & set(range(40)), (spec.task, c.name)


@pytest.mark.parametrize("devoir, fichier, tache, source, attendu", KO, ids=lambda x: getattr(x, "stem", None))
def test_catalogue_mistake_is_caught(devoir, fichier, tache, source, attendu):
    outcome = run_checks(tache, source)
    assert not outcome.ok and not outcome.hung
    if not attendu:
        return  # a demo sample: the grader names no message, failing is what it expects
    motif = template(constante(devoir, attendu))
    messages = [" ".join(f.message.split()) for f in outcome.failures]
    # the whole constant, from the start (MSG_COURSE may be followed by what the run ended with)
    assert any(motif.match(m) for m in messages), (attendu, messages)


@pytest.mark.parametrize("devoir, fichier, tache, source, attendu", OK, ids=lambda x: getattr(x, "stem", None))
def test_correct_alternative_passes(devoir, fichier, tache, source, attendu):
    outcome = run_checks(tache, source)
    assert outcome.ok, [(f.check, f.message) for f in outcome.failures]
    assert outcome.passed == [c.name for c in TASKS[tache].checks]


@pytest.mark.parametrize("devoir", DEVOIRS)
def test_solutions_pass_and_release_stubs_fail(devoir):
    for tache, source in solutions(devoir).items():
        assert run_checks(tache, source).ok, tache
    for tache, source in solutions(devoir, "release").items():
        stub = run_checks(tache, source)
        assert [f.message for f in stub.failures] == [MSG_NON_IMPLEMENTE.format(quoi=tache)], tache
        assert stub.failures[0].seed is None


def _graine_par_defaut() -> int:
    outcome = run_checks("incrementer", SANS_VERROU)
    (echec,) = outcome.failures
    assert echec.seed is not None and echec.seed >= 1000
    return echec.seed


def test_replay_gives_the_story_of_the_harness_run():
    """check(..., graine=N) tells exactly what harness.executer observes for the same cell, scenario and seed."""
    graine = _graine_par_defaut()
    outcome = run_checks("incrementer", SANS_VERROU, graine=graine)
    (echec,) = outcome.failures
    ex = executer({"incrementer": SANS_VERROU}, incrementer_scenario, graine, globales=["compteur"])
    assert echec.seed == graine
    assert echec.story == mise_a_jour_perdue(ex.journal)
    assert echec.message == course_ou_perte(ex, 60, ex.valeur)
    assert template(MSG_PERTE).fullmatch(" ".join(echec.message.split()))
    assert run_checks("incrementer", SANS_VERROU, graine=graine).failures[0].story == echec.story  # same seed, same story


@pytest.mark.slow
@pytest.mark.parametrize("fichier, tache", [("ko_sans_verrou", "incrementer"), ("ko_verrou_par_appel", "incrementer"),
                                            ("ko_compte_verifier_puis_agir", "CompteBancaire")])
def test_seed_printed_by_autograder_grade_replays_the_same_interleaving(tmp_path, fichier, tache):
    devoir = charger_devoir(RACINE, "02-verrous")
    variante = CATALOGUE / "02-verrous" / f"{fichier}.py"
    nb = ecrire_variante(devoir, variante, tmp_path / "02-verrous.ipynb")
    resultat, _ = noter_cli(nb, "02-verrous", tmp_path)
    (message,) = [c["message"] for t in resultat["tasks"] if t["id"] == tache for c in t["checks"]
                  if not c["passed"] and "graine" in c["message"]]
    graine = int(re.search(r"graine (\d+)", message).group(1))
    source = sections(variante.read_text(encoding="utf-8"))[tache]
    echecs = run_checks(tache, source, graine=graine).failures
    assert message in [f.message for f in echecs]  # word for word: same interleaving, same lines, same values
    assert all(f.seed == graine for f in echecs if f.message == message)


def test_report_quotes_lines_and_says_how_to_replay():
    outcome = run_checks("incrementer", SANS_VERROU)
    echec = outcome.failures[0]
    texte = report_text(outcome, SANS_VERROU)
    assert "    " + QUOTE.format(ligne=echec.story[0].ligne, texte="compteur += 1") in texte.splitlines()
    assert MSG_REJOUER.format(tache="incrementer", graine=echec.seed) in texte.splitlines()


def test_timeline_is_text_and_svg():
    outcome = run_checks("incrementer", SANS_VERROU)
    image = timeline(outcome, SANS_VERROU)
    story = outcome.failures[0].story
    lignes = image.text.splitlines()
    assert lignes[0] == TITLE.format(seed=outcome.failures[0].seed)
    assert lignes[1].split("|")[1:] and [x.strip() for x in lignes[1].split("|")[1:]] == ["T1", "T2"]
    for n, a in enumerate(story, start=1):
        colonnes = [x.strip() for x in lignes[1 + n].split("|")]
        assert colonnes[0] == str(n)
        assert colonnes[1 + image.lanes.index(a.tache)] == f"ligne {a.ligne} : {step_text(a)}"
    assert lignes[-1] == "  " + QUOTE.format(ligne=story[0].ligne, texte="compteur += 1")
    html = image._repr_html_()
    assert html.count("<rect") == len(story) and "<svg" in html


def test_no_timeline_without_a_story():
    source = solutions("02-verrous")["compter_en_parallele"].replace("for t in threads:\n        t.join()", "")
    outcome = run_checks("compter_en_parallele", source)
    assert not outcome.ok and timeline(outcome, source) is None


def test_check_prints_success_or_raises_the_report(capsys):
    check("incrementer", source=solutions("02-verrous")["incrementer"])
    assert template(MSG_REUSSI).fullmatch(capsys.readouterr().out.strip())
    with pytest.raises(SelfCheckFailed) as e:
        check("incrementer", source=SANS_VERROU)
    outcome = run_checks("incrementer", SANS_VERROU)
    assert str(e.value) == report_text(outcome, SANS_VERROU)
    assert all(len(x) <= WIDTH for x in e.value._render_traceback_())
    assert capsys.readouterr().out.startswith(TITLE.format(seed=outcome.failures[0].seed))  # the picture, as text


BLOQUE = '''
import threading
def telecharger_tous(urls, telecharger, max_workers=8):
    threading.Event().wait()  # a real wait that never ends
'''


def test_a_hang_is_bounded_and_reported_like_the_grader():
    outcome = run_checks("telecharger_tous", BLOQUE, limit=0.5)
    assert outcome.hung
    assert outcome.failures[-1].message == MSG_DELAI_TACHE.format(tache="telecharger_tous", delai=0.5)


def test_cell_source_is_the_cell_that_defined_the_current_object():
    """As in IPython: each cell compiled under its own file name, its text kept in linecache."""
    ns: dict = {}
    cellules = {"<ipython-input-1>": "import threading\ncompteur = 0\ndef incrementer(n):\n    pass\n",
                "<ipython-input-2>": "class CompteBancaire:\n    @property\n    def solde(self):\n        return 0\n",
                "<ipython-input-3>": "def incrementer(n):\n    return n\n"}
    for nom, texte in cellules.items():
        linecache.cache[nom] = (len(texte), None, texte.splitlines(True), nom)
        exec(compile(texte, nom, "exec"), ns)
    assert cell_source("incrementer", ns) == cellules["<ipython-input-3>"]
    assert cell_source("CompteBancaire", ns) == cellules["<ipython-input-2>"]
    with pytest.raises(SourceNotFound) as e:
        cell_source("travailleur", ns)
    assert str(e.value) == MSG_PAS_DEFINI.format(nom="travailleur")
    assert nom_fichier("incrementer") != "<ipython-input-1>"


def test_bounded_call_returns_raises_or_stops_waiting():
    import threading

    from autograder.selfcheck import MSG_APPEL_BLOQUE, bounded_call
    assert bounded_call(divmod, 7, 2) == (3, 1)
    with pytest.raises(ZeroDivisionError):
        bounded_call(divmod, 1, 0)
    bloque = threading.Event()  # never set: a wait that never ends, costing no CPU
    with pytest.raises(SelfCheckFailed) as e:
        bounded_call(bloque.wait, timeout=0.2)
    assert str(e.value) == MSG_APPEL_BLOQUE.format(nom="wait", delai=0.2)
