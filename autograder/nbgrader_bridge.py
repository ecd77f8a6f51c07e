"""Called by the hidden part of each locked test cell: grades one task with the engine, returns its score."""
from __future__ import annotations

from pathlib import Path

from .assignment import load_assignment, find_root
from .engine import grade_notebook
from .summary import task_lines


def noter(assignment_id: str, task: str, notebook: str | None = None) -> float:
    """Grade ``tache`` of the notebook in the current folder (nbgrader's autograded copy) in a sandbox.

    The value is the cell's output, which nbgrader reads as partial credit; the messages are printed
    (stdout only: nbgrader gives 0 to a test cell that writes to stderr).
    """
    root = find_root(Path.cwd())
    assignment = load_assignment(root, assignment_id)
    path = Path(notebook) if notebook else Path.cwd() / f"{assignment_id}.ipynb"
    resultat = grade_notebook(path, assignment, taches=[task], mode="spawn")
    t = resultat.tasks[0]
    for line in task_lines(t):
        print(line)
    return t.score
