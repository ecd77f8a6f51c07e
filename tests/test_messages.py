"""Every French message template of the package, rendered with sample values, reads as correct French."""
from __future__ import annotations

import ast
import importlib
import os
import re
import string

import pytest

from autograder.probes import verdicts
from autograder.probes.cycle import Cycle
from autograder.probes.french import THOUSANDS_SPACE, decimal, integer, number, thread_name
from autograder.probes.harness import Execution
from autograder.probes.scheduler import DEFAULT_MAX_STEPS

from conftest import ROOT, grader_module

SOURCES = sorted([*(ROOT / "autograder").rglob("*.py"), *(ROOT / "assignments").glob("*/test_*.py")])
NAMES = re.compile(r"^(MSG|CONSEIL)_\w+$|^STORY_LINE$")

# What callers really pass for each field: numbers already in French, thread names as T1, graded names.
EXAMPLES = {
    "quoi": "compter_en_parallele", "fonction": "incrementer", "thread": "T1", "threads": "T1, T2",
    "t": decimal(2.2), "delai": 0.5, "fin": number(1.0), "max": number(2.0), "somme": number(3.5),
    "attendu": "[0, 1, 4]", "obtenu": "[0, 4, 1]", "pas": integer(DEFAULT_MAX_STEPS), "n": 3, "k": 2, "i": 2,
    "demarres": 2, "pris": 4, "appels": 3, "indice": 1, "graine": 0, "variable": "compteur",
    "exception": "ValueError: donnée refusée (cellule travailleur, ligne 9)", "type": "KeyError",
    "detail": "T1 n'a pas obtenu la main en 10 s", "conseil": verdicts.CONSEIL_GENERAL,
    "lignes": "    T1 ligne 8 lit compteur -> 3", "scenario": "deux threads appellent incrementer(30) en même temps",
    "cas": "se termine au bout de 1 s", "appel": "[0, 1, 2], traitement, 3",
}


def _module(file_path):
    relative = file_path.relative_to(ROOT)
    if relative.parts[0] == "assignments":
        return grader_module(relative.parts[1])
    return importlib.import_module(".".join(relative.with_suffix("").parts))


def templates() -> list[tuple[str, str, str]]:
    """(file, name, template) for every module-level MSG_*/CONSEIL_* string constant (its value once imported)."""
    found = []
    for file_path in SOURCES:
        tree = ast.parse(file_path.read_text(encoding="utf-8"))
        name_set = [n.targets[0].id for n in tree.body if isinstance(n, ast.Assign) and len(n.targets) == 1
                and isinstance(n.targets[0], ast.Name) and NAMES.match(n.targets[0].id)]
        if name_set:
            module = _module(file_path)
            found += [(str(file_path.relative_to(ROOT)), nom, getattr(module, nom)) for nom in name_set
                        if isinstance(getattr(module, nom), str)]
    return found


TEMPLATES = templates()


def render_page(template: str) -> str:
    valeurs = {}
    for _text, field, spec, _conv in string.Formatter().parse(template):
        if field is None:
            continue
        if spec and spec[-1] in "dfg":
            valeurs[field] = 10
        else:
            valeurs[field] = EXAMPLES.get(field, "valeur")
    return template.format(**valeurs)


def outside_code(texte: str) -> str:
    """The prose of a message: code quoted in « » and the indented detail lines are not French sentences."""
    texte = re.sub(r"«[^»]*»", "«»", texte)
    texte = re.sub(r"\b[A-Z]\w*(Error|Exception|Interdit|Exit|Interrupt)\b: ", "Type ", texte)  # Python's "Type: msg"
    return "\n".join(line for line in texte.split("\n") if not line.startswith("    "))


def test_of_templates_are_found():
    name_set = {nom for _f, nom, _m in TEMPLATES}
    assert {"MSG_INTERBLOCAGE", "CONSEIL_ORDRE", "MSG_DUREE", "MSG_TASK_DONE", "MSG_ATTENTE_ACTIVE"} <= name_set
    assert len(TEMPLATES) >= 80


@pytest.mark.parametrize("file_path, nom, template", TEMPLATES, ids=[f"{f}:{n}" for f, n, _m in TEMPLATES])
def test_template_in_good_french(file_path: str, nom: str, template: str):
    texte = render_page(template)
    prose = outside_code(texte)
    assert not re.search(r"(?<=\S)  +", prose), f"double space: {texte!r}"
    assert not re.search(r" [,.](?![.\w])", prose), f"space before a comma or a period: {texte!r}"
    for signed in re.finditer(r"(?<=[^\s\u00a0\u202f(])[:;?!](?=\s|$)", prose):
        pytest.fail(f"no space before {signed.group()!r}: {texte!r}")
    assert not re.search(r"\d\.\d", prose), f"English decimal point in French text: {texte!r}"
    assert not re.search(r"(?<![\d.])\d{4,}(?!\d)", prose.replace("ligne 1000", "")), f"ungrouped thousands: {texte!r}"
    assert "thread thread" not in texte.lower() and "thread n°" not in texte, f"thread naming: {texte!r}"
    assert not re.search(r"\{[^}]*:\.\d+f\}", template), f"{nom}: format numbers with francais.decimal, not :.Nf"
    assert not re.search(r"\b(Des|Les|Deux|Trois|Plusieurs) threads( qui [^.:;()]*)? (ne termine|a levé|a créé|est)\b",
                         texte), f"agreement: {texte!r}"


def test_numbers_to_french():
    assert decimal(2.2) == "2,20"
    assert decimal(-0.001) == "0,00"
    assert number(0.5) == "0,5" and number(2.0) == "2"
    assert integer(200000) == f"200{THOUSANDS_SPACE}000" and integer(999) == "999"
    assert thread_name("T0") == "T0 (le thread principal)" and thread_name("T3") == "T3"


def _execution(**fields) -> Execution:
    return Execution(seed=0, cycle=Cycle(None), **fields)


def test_wait_active_account_steps_to_french():
    ex = _execution(attente_active=True, pas=DEFAULT_MAX_STEPS + 1)
    assert verdicts.problem(ex, "attendre") == verdicts.MSG_ATTENTE_ACTIVE.format(quoi="attendre",
                                                                                     pas=integer(DEFAULT_MAX_STEPS))
    assert f"200{THOUSANDS_SPACE}000" in verdicts.problem(ex, "attendre")


def test_exception_of_thread_named_thread_a_times():
    ex = _execution(exceptions_threads=[("T2", "KeyError: x")])
    assert verdicts.problem(ex, "travailleur") == verdicts.MSG_EXCEPTION_THREAD.format(thread="T2",
                                                                                         exception="KeyError: x")


def test_scenario_is_a_sentence_to_part():
    """The graded name is the subject; what the run did is its own sentence (no agreement to get wrong)."""
    ex = _execution(exception="ValueError: montant")
    attendu = (verdicts.MSG_EXCEPTION.format(quoi="CompteBancaire", exception="ValueError: montant") + "\n"
               + verdicts.MSG_SCENARIO.format(scenario="trois threads déposent"))
    assert verdicts.problem(ex, "CompteBancaire", "trois threads déposent") == attendu


@pytest.mark.parametrize("lignes, advice", [
    (["T0 attend un verrou qu'il détient déjà (ligne 8)"], verdicts.CONSEIL_REENTRANT.format(thread="T0 (le thread principal)")),
    (["T0 attend la fin de T1 (join)", "T1 attend un verrou détenu par T2 (ligne 14)",
      "T2 attend un verrou détenu par T1 (ligne 20)"], verdicts.CONSEIL_ORDRE.format(threads="T1 et T2")),
    (["T0 attend la fin de T2 (join)", "T2 attend un élément de la file (get, ligne 5)"],
     verdicts.CONSEIL_SENTINELLE.format(thread="T2")),
    (["T0 attend Queue.join() : 6 élément(s) sans task_done (ligne 11)"], verdicts.CONSEIL_TASK_DONE),
    (["T0 attend la fin de T3 (join)", "T3 attend un verrou détenu par T1 (ligne 18)"],
     verdicts.CONSEIL_NON_RELACHE.format(thread="T3")),
    (["T0 attend la fin de T1 (join)", "T1 attend un Event (ligne 4)"], verdicts.CONSEIL_GENERAL),
])
def test_each_deadlock_to_its_advice(lignes: list[str], advice: str):
    ex = _execution(interblocage=lignes)
    detail = "\n".join("    " + thread_name(line.split(" ", 1)[0]) + " " + line.split(" ", 1)[1] for line in lignes)
    assert verdicts.problem(ex, "f") == verdicts.MSG_INTERBLOCAGE.format(quoi="f", detail=detail, conseil=advice)


SNAPSHOT = ROOT / "tests" / "snapshots" / "messages.txt"


def test_templates_match_the_reviewed_snapshot():
    """Any change to a French template (a word, a field, a new or removed one) fails here until the snapshot is
    reviewed and rewritten: UPDATE_MESSAGE_SNAPSHOT=1 python -m pytest tests/test_messages.py -k snapshot."""
    lignes = sorted(f"{nom} = {template!r}" for _, nom, template in TEMPLATES)
    texte = "\n".join(lignes) + "\n"
    if os.environ.get("UPDATE_MESSAGE_SNAPSHOT") == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(texte, encoding="utf-8")
    attendues = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    assert lignes == attendues, "\n".join(
        [f"- {l}" for l in attendues if l not in lignes] + [f"+ {l}" for l in lignes if l not in attendues])
