"""The committed release is exactly what nbgrader generates, and carries no solution or hidden test."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, nbgrader

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


ASSIGNMENTS = ["01-bases", "02-verrous", "03-file-attente", "04-gil"]
FORBIDDEN = re.compile(r"BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS|nbgrader_bridge|noter\(")


def leaks(folder: Path) -> list[str]:
    """Files of a release folder that carry solution or hidden-test text."""
    return [str(f) for f in sorted(folder.rglob("*")) if f.is_file() and FORBIDDEN.search(f.read_text("utf-8"))]


def test_release_without_leak():
    assert leaks(ROOT / "release") == []


def test_detector_of_leaks_sees_a_solution(tmp_path):
    (tmp_path / "x.ipynb").write_text('{"source": ["### BEGIN SOLUTION"]}', encoding="utf-8")
    assert leaks(tmp_path) == [str(tmp_path / "x.ipynb")]


def test_no_grader_cache_in_source():
    """nbgrader copies every non-notebook file of source/<id>/ into the release: graders live elsewhere."""
    for d in ASSIGNMENTS:
        assert not list((ROOT / "source" / d).glob("test_*.py"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_identical_to_nbgrader(cours, assignment):
    nbgrader("generate_assignment", assignment, "--force", "--log-level=ERROR", cwd=cours)
    products = sorted(p.relative_to(cours) for p in (cours / "release" / assignment).rglob("*") if p.is_file())
    committed = sorted(p.relative_to(ROOT) for p in (ROOT / "release" / assignment).rglob("*") if p.is_file())
    assert products == committed
    for p in products:
        assert (cours / p).read_bytes() == (ROOT / p).read_bytes(), f"{p} differs: run `make release`"
