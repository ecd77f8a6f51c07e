"""nbgrader's execution step, replaced: test cells get the sandboxed engine's verdicts, no kernel runs student code.

With nbgrader's stock ``Execute``, student cells run in a Jupyter kernel with the TA's rights, before the
test cells, in the same interpreter: a cell could replace the bridge function the test cells call, or
write the gradebook. ``ExecutionIsolee`` takes ``Execute``'s place in ``Autograde.autograde_preprocessors``
(see nbgrader_config.py): it grades the sanitized notebook with the same engine as ``autograder grade``
(student code in sandbox children only) and writes each task's score as its test cell's output, which
nbgrader's own ``SaveAutoGrades`` then reads as partial credit, as it would a kernel's output.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import nbformat
from nbformat.v4 import new_output
from nbgrader.preprocessors import NbGraderPreprocessor

from .assignment import Assignment, load_assignment, find_root
from .engine import grade_notebook, empty_result
from .notebook import nbgrader_meta, tested_task
from .results import GradeResult
from .summary import task_lines

MSG_INTERNAL_ERROR = ("La correction automatique n'a pas pu s'exécuter ({detail}) : aucun point n'est attribué "
                      "pour l'instant ; votre enseignant a été prévenu par le journal de correction.")


def grade_cells(nb: nbformat.NotebookNode, assignment: Assignment) -> GradeResult:
    """The engine's result for ``nb`` (written to a scratch file, graded in sandbox children)."""
    with tempfile.TemporaryDirectory(prefix="nbgrader-isole-") as folder:
        path = Path(folder) / f"{assignment.id}.ipynb"
        nbformat.write(nb, path)
        return grade_notebook(path, assignment, mode="spawn")


def restore_tests_removed(nb: nbformat.NotebookNode, assignment: Assignment) -> list[str]:
    """Put back the locked test cells a student deleted (from source/), after their task's solution cell.

    The engine always grades with source's test cells; without them here nbgrader would record no grade
    for the task (0), and the two paths would disagree. Returns the grade_ids put back.
    """
    present = {nbgrader_meta(c).get("grade_id") for c in nb.cells}
    source = nbformat.read(assignment.notebook_source, as_version=4)
    handed_in = []
    for cell in source.cells:
        grade_id = nbgrader_meta(cell).get("grade_id", "")
        task = tested_task(grade_id)
        if grade_id in present or task not in {t.id for t in assignment.taches}:
            continue
        after = next((i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == task),
                     len(nb.cells) - 1)
        nb.cells.insert(after + 1, cell)
        handed_in.append(grade_id)
    return handed_in


def fill_outputs(nb: nbformat.NotebookNode, resultat: GradeResult) -> dict[str, float]:
    """Each graded test cell's outputs become its task's messages and score; returns grade_id -> score."""
    by_task = {t.id: t for t in resultat.tasks}
    notes: dict[str, float] = {}
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        grade_id = meta.get("grade_id", "")
        if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        task = by_task.get(tested_task(grade_id))
        if task is None:
            continue
        texte = "\n".join(task_lines(task)) + "\n"
        cell.outputs = [
            new_output("stream", name="stdout", text=texte),
            # A float as text/plain: nbgrader's partial credit (utils.get_partial_grade).
            new_output("execute_result", data={"text/plain": repr(float(task.score))}, execution_count=None),
        ]
        notes[grade_id] = task.score
    return notes


class IsolatedExecution(NbGraderPreprocessor):
    """Stands in for nbgrader's ``Execute`` in autograde: scores come from sandboxed runs, not from a kernel."""

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict[str, Any]) -> tuple[nbformat.NotebookNode, dict]:
        assignment_id = resources["nbgrader"]["assignment"]
        etudiant = resources["nbgrader"].get("student", "?")
        root = find_root(Path(resources.get("metadata", {}).get("path") or Path.cwd()))
        assignment = load_assignment(root, assignment_id)
        try:
            resultat = grade_cells(nb, assignment)
        except Exception as e:  # noqa: BLE001 - a crash is a zero with its reason, never a lost batch
            self.log.error("autograder: %s / %s: %s: %s", etudiant, assignment_id, type(e).__name__, e)
            resultat = empty_result(assignment, MSG_INTERNAL_ERROR.format(detail=type(e).__name__))
        handed_in = restore_tests_removed(nb, assignment)
        if handed_in:
            self.log.warning("autograder: %s / %s: locked test cells put back from source/: %s",
                             etudiant, assignment_id, ", ".join(handed_in))
        notes = fill_outputs(nb, resultat)
        self.log.info("autograder: %s / %s: %s", etudiant, assignment_id,
                      ", ".join(f"{k} = {v:g}" for k, v in notes.items()))
        return nb, resources
