"""Readable French summaries of a result, for the terminal and for notebook outputs."""
from __future__ import annotations

from .assignment import Assignment
from .results import GradeResult, TaskResult


def _pts(x: float) -> str:
    return f"{x:g}"


def task_lines(t: TaskResult) -> list[str]:
    lignes = [f"{t.id} : {_pts(t.score)} / {_pts(t.max_score)}"]
    for c in t.checks:
        lignes.append(f"  [{'réussi' if c.passed else 'échec '}] {c.name}")
        if not c.passed and c.message:
            lignes.extend("      " + m for m in c.message.splitlines())
    return lignes


def resume(r: GradeResult, assignment: Assignment | None = None) -> str:
    """The terminal summary; with ``devoir``, a line says which points are still to be graded by hand."""
    from .manual import manual_grade

    lignes = [f"Devoir {r.assignment} : {_pts(r.score)} / {_pts(r.max_score)}"]
    if assignment is not None and assignment.manual_cells:
        lignes.append(f"  {manual_grade(assignment)}")
    for e in r.errors:
        lignes.append(f"  ! {e.splitlines()[0]}")
    for t in r.tasks:
        lignes.extend("  " + x for x in task_lines(t))
    return "\n".join(lignes)
