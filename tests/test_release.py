"""The committed release is exactly what nbgrader generates, and carries no solution or hidden test."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import RACINE, nbgrader

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


DEVOIRS = ["01-bases", "02-verrous", "03-file-attente", "04-gil"]
INTERDIT = re.compile(r"BEGIN SOLUTION|END SOLUTION|BEGIN HIDDEN TESTS|END HIDDEN TESTS|nbgrader_bridge|noter\(")


def fuites(dossier: Path) -> list[str]:
    """Files of a release folder that carry solution or hidden-test text."""
    return [str(f) for f in sorted(dossier.rglob("*")) if f.is_file() and INTERDIT.search(f.read_text("utf-8"))]


def test_release_sans_fuite():
    assert fuites(RACINE / "release") == []


def test_detecteur_de_fuites_voit_une_solution(tmp_path):
    (tmp_path / "x.ipynb").write_text('{"source": ["### BEGIN SOLUTION"]}', encoding="utf-8")
    assert fuites(tmp_path) == [str(tmp_path / "x.ipynb")]


def test_aucun_correcteur_cache_dans_source():
    """nbgrader copies every non-notebook file of source/<id>/ into the release: graders live elsewhere."""
    for d in DEVOIRS:
        assert not list((RACINE / "source" / d).glob("test_*.py"))


@pytest.mark.parametrize("devoir", DEVOIRS)
def test_release_identique_a_nbgrader(cours, devoir):
    nbgrader("generate_assignment", devoir, "--force", "--log-level=ERROR", cwd=cours)
    produits = sorted(p.relative_to(cours) for p in (cours / "release" / devoir).rglob("*") if p.is_file())
    commis = sorted(p.relative_to(RACINE) for p in (RACINE / "release" / devoir).rglob("*") if p.is_file())
    assert produits == commis
    for p in produits:
        assert (cours / p).read_bytes() == (RACINE / p).read_bytes(), f"{p} differs: run `make release`"
