"""Hostile submissions, graded end to end: nothing gained, nothing lost, nothing hangs, nothing survives."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from autograder import engine, plugin
from autograder.assignment import load_assignment
from autograder.probes import api, harness, space, verdicts
from autograder.redaction import LENGTH_MIN
from autograder.samples import write_variant, header

from conftest import ROOT, execute_cli, grade_cli, template_pattern, grader_module

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


HOSTILES = sorted((ROOT / "tests" / "hostiles").glob("*.py"))


def constant(nom: str, assignment: str) -> str:
    for mod in (engine, plugin, space, verdicts, api, harness):
        if hasattr(mod, nom):
            return getattr(mod, nom)
    return getattr(grader_module(assignment), nom)


def survivants(marks: list[str]) -> list[str]:
    leftovers = []
    for d in os.listdir("/proc"):
        if d.isdigit() and int(d) != os.getpid():
            try:
                line = Path(f"/proc/{d}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if any(m in line for m in marks):
                leftovers.append(f"{d}: {line}")
    return leftovers


@pytest.fixture
def deep_course(cours: Path, tmp_path: Path) -> Path:
    """The course under a long path: CI clones live deeper than a dev checkout, and nothing may depend on it.

    The grader's frames then make a stack dump longer than the output extract kept for the TA, so a stack
    read from that extract loses the student's frame (the CI failure of boucle_infinie_appel).
    """
    deep = tmp_path / ("p" * 150) / ("q" * 150) / "cours"
    deep.parent.mkdir(parents=True)
    return cours.rename(deep)


@pytest.mark.parametrize("file_path", HOSTILES, ids=lambda f: f.stem)
def test_attack(file_path: Path, deep_course: Path, tmp_path: Path):
    cours = deep_course
    head = header(file_path.read_text(encoding="utf-8"))
    assignment = load_assignment(cours, head["devoir"])
    nb = write_variant(assignment, file_path, tmp_path / "copie" / f"{assignment.id}.ipynb")
    gradebook = cours / "gradebook.db"
    gradebook.write_bytes(b"intact")
    output = tmp_path / "resultat.json"

    debut = time.monotonic()
    proc = execute_cli("grade", str(nb), "--assignment", assignment.id, "--json", str(output), cwd=cours)
    duree = time.monotonic() - debut

    assert proc.returncode == 0, proc.stderr
    assert duree < float(head["duree_max"]) <= 60
    import json

    from autograder.results import read_result
    resultat = json.loads(output.read_text(encoding="utf-8"))
    assert read_result(output, assignment).to_dict() == resultat  # every result the suite writes: the one reader
    expected = {t.id: t.points for t in assignment.taches}
    if head["attendu"]:
        expected.update({k.strip(): float(v) for k, v in (p.split("=") for p in head["attendu"].split(","))})
    assert {t["id"]: t["score"] for t in resultat["tasks"]} == expected, resultat
    if head.get("message"):
        task, nom = (x.strip() for x in head["message"].split("="))
        template = template_pattern(constant(nom, assignment.id))
        messages = [c["message"] for t in resultat["tasks"] if t["id"] == task for c in t["checks"]]
        # The whole message is the template's rendering; verdicts may append whole sentences on lines of their own.
        assert any(re.fullmatch(template + r"(\n.*)?", m, re.S) for m in messages), (nom, messages)
        if head.get("contient"):
            attendu = template_pattern(constant(head["contient"], assignment.id))
            assert any(re.search(attendu, m, re.S) and "<cellule " in m for m in messages), messages
    # The copy's own path marks its forked processes; exec'd children are named in its header.
    marks = [str(nb)] + ([head["survivants"]] if head.get("survivants") else [])
    assert survivants(marks) == []
    assert gradebook.read_bytes() == b"intact"
    assert not (cours / "gradebook.db.pirate").exists()
    texte = output.read_text(encoding="utf-8") + proc.stdout
    for line in assignment.grader.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if len(s) >= LENGTH_MIN and not s.startswith(("import ", "from ", "#")):
            assert s not in texte, f"hidden grader line leaked: {s}"


# Attacks that still pay, kept until they are closed: each rewrites, from student code, an instrument of the
# run that lives in the same process (see docs/securite.md, known limits). Strict: the day one of them is
# graded at its deserved score, this test fails and the file moves to tests/hostiles/.
KNOWN_HOLES = sorted((ROOT / "tests" / "hostiles_connus").glob("*.py"))


@pytest.mark.xfail(strict=True, reason="in-process instruments rewritten by student code (docs/securite.md)")
@pytest.mark.parametrize("file_path", KNOWN_HOLES, ids=lambda f: f.stem)
def test_known_hole_still_pays(file_path: Path, tmp_path: Path):
    head = header(file_path.read_text(encoding="utf-8"))
    assignment = load_assignment(ROOT, head["devoir"])
    nb = write_variant(assignment, file_path, tmp_path / "copie" / f"{assignment.id}.ipynb")
    resultat, _ = grade_cli(nb, assignment.id, tmp_path)
    deserved = {k.strip(): float(v) for k, v in (p.split("=") for p in head["attendu"].split(","))}
    assert {t["id"]: t["score"] for t in resultat["tasks"] if t["id"] in deserved} == deserved
