"""Readable French summaries of a result, for the terminal and for notebook outputs."""
from __future__ import annotations

from .assignment import Devoir
from .results import GradeResult, TaskResult


def _pts(x: float) -> str:
    return f"{x:g}"


def lignes_tache(t: TaskResult) -> list[str]:
    lignes = [f"{t.id} : {_pts(t.score)} / {_pts(t.max_score)}"]
    for c in t.checks:
        lignes.append(f"  [{'réussi' if c.passed else 'échec '}] {c.name}")
        if not c.passed and c.message:
            lignes.extend("      " + m for m in c.message.splitlines())
    return lignes


def resume(r: GradeResult, devoir: Devoir | None = None) -> str:
    """The terminal summary; with ``devoir``, a line says which points are still to be graded by hand."""
    from .manual import note_manuelle

    lignes = [f"Devoir {r.assignment} : {_pts(r.score)} / {_pts(r.max_score)}"]
    if devoir is not None and devoir.manuelles:
        lignes.append(f"  {note_manuelle(devoir)}")
    for e in r.errors:
        lignes.append(f"  ! {e.splitlines()[0]}")
    for t in r.tasks:
        lignes.extend("  " + x for x in lignes_tache(t))
    return "\n".join(lignes)
