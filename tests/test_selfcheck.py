"""The public self-check, in process: catalogue mistakes caught, correct alternatives pass, seeds replay."""
from __future__ import annotations

import linecache
import re

import pytest

from autograder.assignment import load_assignment
from autograder.engine import MSG_DELAI_TACHE
from autograder.probes.api import MSG_NON_IMPLEMENTE
from autograder.probes.harness import executer, file_name
from autograder.probes.story import lost_update
from autograder.probes.verdicts import MSG_PERTE, race_or_loss
from autograder.samples import write_variant, sections
from autograder.selfcheck import (MSG_REPLAY, MSG_PASSED, TASKS, WIDTH, SelfCheckFailed, check, report_text,
                                  run_checks, timeline)
from autograder.selfcheck_checks import incrementer_scenario
from autograder.selfcheck_source import MSG_NOT_DEFINED, SourceNotFound, cell_source
from autograder.selfcheck_timeline import QUOTE, TITLE, step_text

from conftest import CATALOGUE, ROOT, grade_cli
from selfcheck_helpers import ASSIGNMENTS, catalogue_case, constant, points, solutions, template

CASE = catalogue_case(examples=True)
KO = [c for c in CASE if c[4] is not None]
OK = [c for c in CASE if c[4] is None]
WITHOUT_LOCK = sections((CATALOGUE / "02-verrous" / "ko_sans_verrou.py").read_text(encoding="utf-8"))["incrementer"]


def test_every_graded_task_has_public_checks():
    for d in ASSIGNMENTS:
        assert {t.id for t in load_assignment(ROOT, d).taches if t.id != "analyse_gil"} <= set(TASKS)
        assert all(TASKS[t].assignment == d for t in points(d) if t in TASKS)


def test_public_seeds_are_not_the_graders():
    """The graders explore seeds 0-39: the public checks have their own."""
    for spec in TASKS.values():
        for c in spec.checks:
            assert not set(c.seeds) & set(range(40)), (spec.task, c.name)


@pytest.mark.parametrize("assignment, file_path, graded_task, source, attendu", KO, ids=lambda x: getattr(x, "stem", None))
def test_catalogue_mistake_is_caught(assignment, file_path, graded_task, source, attendu):
    outcome = run_checks(graded_task, source)
    assert not outcome.ok and not outcome.hung
    if not attendu:
        return  # a demo sample: the grader names no message, failing is what it expects
    pattern = template(constant(assignment, attendu))
    messages = [" ".join(f.message.split()) for f in outcome.failures]
    # the whole constant, from the start (MSG_COURSE may be followed by what the run ended with)
    assert any(pattern.match(m) for m in messages), (attendu, messages)


@pytest.mark.parametrize("assignment, file_path, graded_task, source, attendu", OK, ids=lambda x: getattr(x, "stem", None))
def test_correct_alternative_passes(assignment, file_path, graded_task, source, attendu):
    outcome = run_checks(graded_task, source)
    assert outcome.ok, [(f.check, f.message) for f in outcome.failures]
    assert outcome.passed == [c.name for c in TASKS[graded_task].checks]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solutions_pass_and_release_stubs_fail(assignment):
    for graded_task, source in solutions(assignment).items():
        assert run_checks(graded_task, source).ok, graded_task
    for graded_task, source in solutions(assignment, "release").items():
        stub = run_checks(graded_task, source)
        assert [f.message for f in stub.failures] == [MSG_NON_IMPLEMENTE.format(quoi=graded_task)], graded_task
        assert stub.failures[0].seed is None


def _default_seed() -> int:
    outcome = run_checks("incrementer", WITHOUT_LOCK)
    (failure,) = outcome.failures
    assert failure.seed is not None and failure.seed >= 1000
    return failure.seed


def test_replay_gives_the_story_of_the_harness_run():
    """check(..., graine=N) tells exactly what harness.executer observes for the same cell, scenario and seed."""
    seed = _default_seed()
    outcome = run_checks("incrementer", WITHOUT_LOCK, seed=seed)
    (failure,) = outcome.failures
    ex = executer({"incrementer": WITHOUT_LOCK}, incrementer_scenario, seed, globales=["compteur"])
    assert failure.seed == seed
    assert failure.story == lost_update(ex.journal)
    assert failure.message == race_or_loss(ex, 60, ex.valeur)
    assert template(MSG_PERTE).fullmatch(" ".join(failure.message.split()))
    assert run_checks("incrementer", WITHOUT_LOCK, seed=seed).failures[0].story == failure.story  # same seed, same story


@pytest.mark.slow
@pytest.mark.parametrize("file_path, graded_task", [("ko_sans_verrou", "incrementer"), ("ko_verrou_par_appel", "incrementer"),
                                            ("ko_compte_verifier_puis_agir", "CompteBancaire")])
def test_seed_printed_by_autograder_grade_replays_the_same_interleaving(tmp_path, file_path, graded_task):
    assignment = load_assignment(ROOT, "02-verrous")
    variant = CATALOGUE / "02-verrous" / f"{file_path}.py"
    nb = write_variant(assignment, variant, tmp_path / "02-verrous.ipynb")
    resultat, _ = grade_cli(nb, "02-verrous", tmp_path)
    (message,) = [c["message"] for t in resultat["tasks"] if t["id"] == graded_task for c in t["checks"]
                  if not c["passed"] and "graine" in c["message"]]
    seed = int(re.search(r"graine (\d+)", message).group(1))
    source = sections(variant.read_text(encoding="utf-8"))[graded_task]
    failed_checks = run_checks(graded_task, source, seed=seed).failures
    assert message in [f.message for f in failed_checks]  # word for word: same interleaving, same lines, same values
    assert all(f.seed == seed for f in failed_checks if f.message == message)


def test_report_quotes_lines_and_says_how_to_replay():
    outcome = run_checks("incrementer", WITHOUT_LOCK)
    failure = outcome.failures[0]
    texte = report_text(outcome, WITHOUT_LOCK)
    assert "    " + QUOTE.format(ligne=failure.story[0].line, texte="compteur += 1") in texte.splitlines()
    assert MSG_REPLAY.format(tache="incrementer", graine=failure.seed) in texte.splitlines()


def test_timeline_is_text_and_svg():
    outcome = run_checks("incrementer", WITHOUT_LOCK)
    image = timeline(outcome, WITHOUT_LOCK)
    story = outcome.failures[0].story
    lignes = image.text.splitlines()
    assert lignes[0] == TITLE.format(seed=outcome.failures[0].seed)
    assert lignes[1].split("|")[1:] and [x.strip() for x in lignes[1].split("|")[1:]] == ["T1", "T2"]
    for n, a in enumerate(story, start=1):
        columns = [x.strip() for x in lignes[1 + n].split("|")]
        assert columns[0] == str(n)
        assert columns[1 + image.lanes.index(a.task)] == f"ligne {a.line} : {step_text(a)}"
    assert lignes[-1] == "  " + QUOTE.format(ligne=story[0].line, texte="compteur += 1")
    html = image._repr_html_()
    assert html.count("<rect") == len(story) and "<svg" in html


def test_no_timeline_without_to_story():
    source = solutions("02-verrous")["compter_en_parallele"].replace("for t in threads:\n        t.join()", "")
    outcome = run_checks("compter_en_parallele", source)
    assert not outcome.ok and timeline(outcome, source) is None


def test_check_prints_success_or_raises_the_report(capsys):
    check("incrementer", source=solutions("02-verrous")["incrementer"])
    assert template(MSG_PASSED).fullmatch(capsys.readouterr().out.strip())
    with pytest.raises(SelfCheckFailed) as e:
        check("incrementer", source=WITHOUT_LOCK)
    outcome = run_checks("incrementer", WITHOUT_LOCK)
    assert str(e.value) == report_text(outcome, WITHOUT_LOCK)
    assert all(len(x) <= WIDTH for x in e.value._render_traceback_())
    assert capsys.readouterr().out.startswith(TITLE.format(seed=outcome.failures[0].seed))  # the picture, as text


BLOCKED = '''
import threading
def telecharger_tous(urls, telecharger, max_workers=8):
    threading.Event().wait()  # a real wait that never ends
'''


def test_to_hang_is_bounded_and_reported_like_the_grader():
    outcome = run_checks("telecharger_tous", BLOCKED, limit=0.5)
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
    assert str(e.value) == MSG_NOT_DEFINED.format(nom="travailleur")
    assert file_name("incrementer") != "<ipython-input-1>"


def test_bounded_call_returns_raises_or_stops_waiting():
    import threading

    from autograder.selfcheck import MSG_BLOCKED_CALL, bounded_call
    assert bounded_call(divmod, 7, 2) == (3, 1)
    with pytest.raises(ZeroDivisionError):
        bounded_call(divmod, 1, 0)
    blocked = threading.Event()  # never set: a wait that never ends, costing no CPU
    with pytest.raises(SelfCheckFailed) as e:
        bounded_call(blocked.wait, timeout=0.2)
    assert str(e.value) == MSG_BLOCKED_CALL.format(nom="wait", delai=0.2)
