"""Broken submissions through `autograder grade`: exit 0, a French error, every task present and scored."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from autograder import notebook as nbm
from autograder.assignment import MSG_UNKNOWN_ASSIGNMENT, MSG_ROOT, load_assignment, available_assignments
from autograder.cli import MSG_NOTE, MSG_NOTEBOOK_INTROUVABLE
from autograder.probes.api import MSG_MISSING_CELL
from autograder.probes.harness import MSG_SYNTAXE
from autograder.samples import build

from conftest import ROOT, execute_cli, grade_cli, renders

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


ASSIGNMENT = "02-verrous"


def write_out(tmp_path: Path, content: bytes) -> Path:
    f = tmp_path / f"{ASSIGNMENT}.ipynb"
    f.write_bytes(content)
    return f


@pytest.mark.parametrize("content, constant", [
    (b"", nbm.MSG_EMPTY),
    (b"   \n", nbm.MSG_EMPTY),
    (b"\xff\xfe\x00garbage", nbm.MSG_UNREADABLE),
    (b'{"cells": [', nbm.MSG_NOT_JSON),
    (b'[1, 2, 3]', nbm.MSG_NOT_NOTEBOOK),
    (b'{"cells": [], "nbformat": 3}', nbm.MSG_NOT_NOTEBOOK),
    (b'{"cells": ["texte"], "nbformat": 4}', nbm.MSG_NOT_NOTEBOOK),
], ids=["vide", "blancs", "binaire", "json-tronque", "liste", "format-3", "cellule-texte"])
def test_file_unusable(tmp_path, content, constant):
    resultat, proc = grade_cli(write_out(tmp_path, content), ASSIGNMENT, tmp_path)
    assignment = load_assignment(ROOT, ASSIGNMENT)
    assert resultat["score"] == 0
    assert [t["id"] for t in resultat["tasks"]] == [t.id for t in assignment.taches]
    assert resultat["errors"] and renders(constant, resultat["errors"][0]), resultat["errors"]
    assert all(not c["passed"] for t in resultat["tasks"] for c in t["checks"])


def test_directory_at_place_a_file(tmp_path):
    d = tmp_path / "dossier.ipynb"
    d.mkdir()
    resultat, _ = grade_cli(d, ASSIGNMENT, tmp_path)
    assert renders(nbm.MSG_UNREADABLE, resultat["errors"][0]), resultat["errors"]


def test_symlink_to_the_solution_is_not_graded(tmp_path):
    """A notebook that is a link (to the instructor's source, a classmate's copy) is refused, not followed."""
    link = tmp_path / f"{ASSIGNMENT}.ipynb"
    link.symlink_to(ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    resultat, _ = grade_cli(link, ASSIGNMENT, tmp_path)
    assert resultat["score"] == 0
    assert resultat["errors"] == [nbm.MSG_SYMLINK.format(nom=link.name)]


def _nb(tmp_path: Path, modify) -> Path:
    nb = build(load_assignment(ROOT, ASSIGNMENT), {})
    modify(nb)
    f = tmp_path / f"{ASSIGNMENT}.ipynb"
    nbformat.write(nb, f)
    return f


def gid(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def test_cell_removed_costs_its_task_only(tmp_path):
    f = _nb(tmp_path, lambda nb: nb.cells.__setitem__(slice(None), [c for c in nb.cells if gid(c) != "CompteBancaire"]))
    resultat, _ = grade_cli(f, ASSIGNMENT, tmp_path)
    scores = {t["id"]: t["score"] for t in resultat["tasks"]}
    assert scores == {"incrementer": 4, "compter_en_parallele": 2, "CompteBancaire": 0}
    messages = [c["message"] for t in resultat["tasks"] for c in t["checks"] if not c["passed"]]
    assert messages and all(m == MSG_MISSING_CELL.format(gid="CompteBancaire") for m in messages)
    assert resultat["errors"] == [nbm.MSG_MISSING.format(gid="CompteBancaire")]


def test_cells_reordered(tmp_path):
    f = _nb(tmp_path, lambda nb: nb.cells.reverse())
    resultat, _ = grade_cli(f, ASSIGNMENT, tmp_path)
    assert resultat["score"] == 10


def test_cells_of_test_modified_ignored(tmp_path):
    def cheat(nb):
        for c in nb.cells:
            if gid(c) == "test_incrementer":
                c.source = "print(4.0)"
    resultat, _ = grade_cli(_nb(tmp_path, cheat), ASSIGNMENT, tmp_path)
    assert resultat["score"] == 10
    assert resultat["errors"] == [nbm.MSG_MODIFIED_TESTS.format(ids="test_incrementer")]


def test_cell_in_double(tmp_path):
    def double(nb):
        i = next(i for i, c in enumerate(nb.cells) if gid(c) == "incrementer")
        submission_copy = nbformat.from_dict(json.loads(json.dumps(nb.cells[i])))
        submission_copy.source = "raise RuntimeError('copie')"
        submission_copy.id = "copie-en-double"
        nb.cells.insert(i + 1, submission_copy)
    resultat, _ = grade_cli(_nb(tmp_path, double), ASSIGNMENT, tmp_path)
    assert resultat["score"] == 10
    assert nbm.MSG_DUPLICATE.format(gid="incrementer", n=2) in resultat["errors"]


def test_error_of_syntax_costs_its_task(tmp_path):
    def break_notebook(nb):
        for c in nb.cells:
            if gid(c) == "incrementer":
                c.source = "def incrementer(n):\n    return (\n"
    resultat, _ = grade_cli(_nb(tmp_path, break_notebook), ASSIGNMENT, tmp_path)
    scores = {t["id"]: t["score"] for t in resultat["tasks"]}
    assert scores == {"incrementer": 0, "compter_en_parallele": 2, "CompteBancaire": 4}
    msg = resultat["tasks"][0]["checks"][0]["message"]
    assert msg == MSG_SYNTAXE.format(grade_id="incrementer", ligne=2, erreur="'(' was never closed")


def test_usage_notebook_absent():
    proc = execute_cli("grade", "nexiste-pas.ipynb", "--assignment", ASSIGNMENT)
    assert proc.returncode == 2
    assert proc.stderr == f"autograder : {MSG_NOTEBOOK_INTROUVABLE.format(chemin='nexiste-pas.ipynb')}\n"


def test_usage_assignment_unknown(tmp_path):
    proc = execute_cli("grade", str(write_out(tmp_path, b"")), "--assignment", "99-rien")
    assert proc.returncode == 2
    connus = ", ".join(available_assignments(ROOT))
    assert proc.stderr == f"autograder : {MSG_UNKNOWN_ASSIGNMENT.format(id='99-rien', connus=connus)}\n"


def test_usage_outside_of_course(tmp_path):
    proc = execute_cli("grade", "x.ipynb", "--assignment", ASSIGNMENT, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == f"autograder : {MSG_ROOT.format(dossier=tmp_path.resolve())}\n"


def test_json_on_output_standard():
    proc = execute_cli("grade", str(ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"), "--assignment", ASSIGNMENT,
                        "--json", "-")
    assert proc.returncode == 0
    debut = proc.stdout.index("{\n")
    donnees, _ = json.JSONDecoder().raw_decode(proc.stdout[debut:])
    assert donnees["score"] == donnees["max_score"] == 10
    assert set(donnees) == {"assignment", "score", "max_score", "tasks", "errors"}
    path = ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert proc.stdout.rstrip().splitlines()[-1] == MSG_NOTE.format(chemin=path, score=10, max_score=10)


def test_notebook_nested_too_deep(tmp_path):
    """A hand-made file nested deeper than Python's recursion limit is refused in French, not a crash."""
    from autograder.notebook import MSG_NOT_NOTEBOOK, read_notebook
    f = tmp_path / "02-verrous.ipynb"
    f.write_text('{"cells": ' + "[" * 200_000 + "]" * 200_000 + ', "nbformat": 4}', encoding="utf-8")
    nb, reason = read_notebook(f)
    assert nb is None
    assert reason == MSG_NOT_NOTEBOOK.format(nom=f.name, raison="imbrication trop profonde")


@pytest.mark.parametrize("source", ["### END HIDDEN TESTS\n### BEGIN HIDDEN TESTS\n",
                                    "a\n### BEGIN HIDDEN TESTS\nx\n### BEGIN HIDDEN TESTS\n",
                                    "### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS\n### END HIDDEN TESTS\nb"])
def test_markers_caches_in_disorder(source):
    """Hidden-test markers in any order or number end (a submission once hung the whole batch here)."""
    from autograder.notebook import _without_cache
    resultat = _without_cache(source)
    assert "### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS" not in resultat
    assert len(resultat) <= len(source)
