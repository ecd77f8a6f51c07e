"""The self-check in a real Jupyter kernel (nbclient) and under `nbgrader validate`, on the release notebooks."""
from __future__ import annotations

import importlib.util
import shutil
import sys
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.assignment import load_assignment
from autograder.probes.api import MSG_NON_IMPLEMENTE
from autograder.probes.verdicts import MSG_PERTE
from autograder.samples import write_variant, build
from autograder.selfcheck import MSG_PASSED

from conftest import CATALOGUE, ROOT, nbgrader
from selfcheck_helpers import ASSIGNMENTS, catalogue_case, constant, normal, solutions, template

pytestmark = [pytest.mark.kernel, pytest.mark.slow]


# The kernel cannot import matplotlib here: `%matplotlib inline` would fail the student's own cell
# (then nothing is defined). The other magics of that submission stay.
WITHOUT_MATPLOTLIB = importlib.util.find_spec("matplotlib") is None


def _test_cells(assignment: str) -> dict[str, str]:
    """The visible part of each locked test cell of the release (what a student runs)."""
    nb = nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"].removeprefix("test_"): c.source for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}


def _variants(assignment: str) -> list[tuple[str, dict[str, str], dict[str, str | None]]]:
    """(name, answer cells to run, expected per task: None passes, else the constant of the failure)."""
    sol = solutions(assignment)
    stubs = solutions(assignment, "release")
    variants = [("release", stubs, {t: "MSG_NON_IMPLEMENTE" for t in stubs}), ("solution", sol, dict.fromkeys(sol))]
    by_file: dict[str, tuple[dict, dict]] = {}
    for d, file_path, task, source, attendu in catalogue_case():
        if d != assignment:
            continue
        if WITHOUT_MATPLOTLIB:
            source = source.replace("%matplotlib inline\n", "")
        cellules, expected = by_file.setdefault(file_path.stem, ({}, {}))
        cellules[task], expected[task] = source, attendu
    variants += [(nom, c, a) for nom, (c, a) in by_file.items()]
    return variants


def _seconds(cell) -> float:
    ex = cell.metadata.get("execution", {})
    debut, fin = (datetime.fromisoformat(ex[k].replace("Z", "+00:00"))
                  for k in ("iopub.execute_input", "shell.execute_reply"))
    return (fin - debut).total_seconds()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_self_check_in_to_real_kernel(assignment, tmp_path):
    """One kernel per notebook: every variant's answer cells, then the release's test cells for its tasks."""
    tests = _test_cells(assignment)
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    expected = []
    for nom, cellules, attendu in _variants(assignment):
        for task, source in cellules.items():
            nb.cells.append(nbformat.v4.new_code_cell(source))
        for task in cellules:
            nb.cells.append(nbformat.v4.new_code_cell(tests[task]))
            expected.append((len(nb.cells) - 1, nom, task, attendu[task]))
    folder = tmp_path / assignment
    shutil.copytree(ROOT / "release" / assignment, folder)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True, record_timing=True,
                   resources={"metadata": {"path": str(folder)}}).execute()
    durations = []
    for i, nom, task, constant_name in expected:
        cell = nb.cells[i]
        errors = [o for o in cell.outputs if o.output_type == "error"]
        texte = "\n".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        durations.append((_seconds(cell), f"{nom}/{task}"))
        if constant_name is None:
            assert not errors, (nom, task, [normal("\n".join(e.traceback)) for e in errors])
            assert template(MSG_PASSED).fullmatch(texte.strip()), (nom, task, texte)
            continue
        assert [e.ename for e in errors] == ["SelfCheckFailed"], (nom, task, cell.outputs)
        report = normal("\n".join(errors[0].traceback))
        if constant_name == "MSG_NON_IMPLEMENTE":
            assert normal(MSG_NON_IMPLEMENTE.format(quoi=task)) in report, (nom, task, report)
        else:
            assert template(constant(assignment, constant_name)).search(report), (nom, task, constant_name, report)
    durations.sort(reverse=True)
    print(f"\n{assignment}: {len(durations)} self-check cells, max {durations[0][0]:.2f} s ({durations[0][1]}), "
          f"mean {sum(d for d, _ in durations) / len(durations):.3f} s", file=sys.stderr)


def _validate(notebook: Path, cours: Path) -> str:
    return nbgrader("validate", str(notebook), cwd=cours).stdout


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_nbgrader_validate_fails_on_release_and_passes_on_solutions(cours, assignment):
    d = load_assignment(cours, assignment)
    release = cours / "release" / assignment / f"{assignment}.ipynb"
    output = _validate(release, cours)
    manual_cells = 1 if assignment == "04-gil" else 0  # analyse_gil, a Markdown answer: "You did not provide a response."
    assert f"VALIDATION FAILED ON {len(_test_cells(assignment)) + manual_cells} CELL(S)!" in output, output
    for task in _test_cells(assignment):
        assert normal(MSG_NON_IMPLEMENTE.format(quoi=task)) in normal(output), task
    filled = build(d, {}, base="solution")
    for c in filled.cells:  # the source has no model answer for analyse_gil (graded by hand): a student's
        if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution"):
            c.source = "Les attentes se recouvrent entre threads ; le calcul, lui, est limité par le GIL."
    path = cours / "release" / assignment / "solutions.ipynb"
    nbformat.write(filled, path)
    assert "Success! Your notebook passes all the tests." in _validate(path, cours)


def test_nbgrader_validate_fails_on_to_lost_update(cours):
    d = load_assignment(cours, "02-verrous")
    nb = write_variant(d, CATALOGUE / "02-verrous" / "ko_sans_verrou.py", cours / "release" / "02-verrous" / "x.ipynb")
    output = _validate(nb, cours)
    assert "VALIDATION FAILED ON 1 CELL(S)!" in output, output
    assert template(MSG_PERTE).search(normal(output)), output


def _quick_tests(assignment: str) -> dict[str, str]:
    """The quick test cell that follows each answer cell in the release."""
    cells = nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4).cells
    return {c.metadata["nbgrader"]["grade_id"]: cells[i + 1].source for i, c in enumerate(cells)
            if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}


# Answers that block forever on a real call: the quick test must fail in French, not hang the kernel.
BLOCKING = [("02-verrous", "ko_compter_barriere_trop", "compter_en_parallele", "SelfCheckFailed"),
              ("03-file-attente", "ko_une_sentinelle", "traiter_taches", "AssertionError"),
              ("03-file-attente", "ko_task_done_sentinelle_oublie", "travailleur", "AssertionError")]


def test_quick_tests_never_hang(tmp_path):
    from autograder.samples import sections
    from autograder.selfcheck import MSG_BLOCKED_CALL
    nb = nbformat.v4.new_notebook()
    expected = []
    for assignment, file_path, task, error in BLOCKING:
        source = sections((CATALOGUE / assignment / f"{file_path}.py").read_text(encoding="utf-8"))[task]
        if task == "traiter_taches":
            nb.cells.append(nbformat.v4.new_code_cell(solutions(assignment)["travailleur"]))
        nb.cells += [nbformat.v4.new_code_cell(source), nbformat.v4.new_code_cell(_quick_tests(assignment)[task])]
        expected.append((len(nb.cells) - 1, task, error))
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for i, task, error in expected:
        errors = [o for o in nb.cells[i].outputs if o.output_type == "error"]
        assert [e.ename for e in errors] == [error], (task, nb.cells[i].outputs)
        if error == "SelfCheckFailed":
            assert normal("\n".join(errors[0].traceback)) == normal(MSG_BLOCKED_CALL.format(nom=task, delai=10))
