"""Every catalogued submission, graded end to end through `autograder grade`, gets its expected scores."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder.assignment import load_assignment
from autograder.probes import api, output, verdicts
from autograder.samples import write_variant, header

from conftest import CATALOGUE, ROOT, template_pattern, grader_module, grade_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


FILES = sorted(CATALOGUE.glob("*/*.py"))
EXAMPLES = sorted((ROOT / "assignments").glob("*/exemples/*.py"))  # the demo's samples


def expectations(file_path: Path) -> tuple[dict[str, float], dict[str, str]]:
    head = header(file_path.read_text(encoding="utf-8"))
    scores = {k.strip(): float(v) for k, v in (p.split("=") for p in head["attendu"].split(","))}
    messages = {k.strip(): v.strip() for k, v in (p.split("=") for p in head["message"].split(","))} \
        if head.get("message") else {}
    return scores, messages


def test_catalogue_enough_large():
    """The issue asks for at least 40 correct and wrong submissions, every graded name covered."""
    assert len(FILES) >= 40
    for d in ("01-bases", "02-verrous", "03-file-attente", "04-gil"):
        assignment = load_assignment(ROOT, d)
        for t in assignment.taches:
            scores = [expectations(f)[0] for f in FILES if f.parent.name == d]
            assert any(s.get(t.id) == t.points for s in scores if t.id in s), f"no correct alternative for {t.id}"
            assert any(s.get(t.id, t.points) < t.points for s in scores), f"no wrong submission for {t.id}"


def assignment_of(file_path: Path) -> str:
    return file_path.parent.parent.name if file_path.parent.name == "exemples" else file_path.parent.name


@pytest.mark.parametrize("file_path", FILES + EXAMPLES, ids=lambda f: f"{assignment_of(f)}/{f.stem}")
def test_submission(file_path: Path, tmp_path: Path):
    assignment = load_assignment(ROOT, assignment_of(file_path))
    nb = write_variant(assignment, file_path, tmp_path / f"{assignment.id}.ipynb")
    resultat, _ = grade_cli(nb, assignment.id, tmp_path)
    scores, messages = expectations(file_path)
    obtained = {t["id"]: t["score"] for t in resultat["tasks"]}
    expected = {t.id: scores.get(t.id, t.points) for t in assignment.taches}
    assert obtained == expected, [c for t in resultat["tasks"] for c in t["checks"] if not c["passed"]]
    grader = grader_module(assignment.id)

    def constant(nom: str) -> str:
        return next(getattr(m, nom) for m in (grader, verdicts, api, output) if hasattr(m, nom))

    contains = header(file_path.read_text(encoding="utf-8")).get("contient")
    for task, nom in messages.items():
        template = template_pattern(constant(nom))
        failed_checks = [c["message"] for t in resultat["tasks"] if t["id"] == task for c in t["checks"] if not c["passed"]]
        # The whole message is the template's rendering; verdicts may append whole sentences on lines of their own.
        assert any(re.fullmatch(template + r"(\n.*)?", m, re.S) for m in failed_checks), (nom, failed_checks)
        if contains:  # a template (an advice) rendered inside the message
            assert any(re.search(template_pattern(constant(contains)), m, re.S) for m in failed_checks), (contains, failed_checks)
