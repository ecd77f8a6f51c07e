"""Hand-graded cells (04-gil's analyse_gil): their points belong to every maximum score the course shows."""
from __future__ import annotations

from .assignment import Assignment
from .results import GradeResult

MSG_MANUAL = "{points:g} point(s) corrigé(s) à la main ({cellules}) : note provisoire, en attente de correction."


def with_manual(resultat: GradeResult, assignment: Assignment) -> GradeResult:
    """The engine's result with the hand-graded points added to its maximum (nbgrader's gradebook maximum)."""
    manual_points = sum(assignment.manual_cells.values())
    if manual_points and abs(resultat.max_score - assignment.points) < 1e-9:
        resultat.max_score = round(assignment.points + manual_points, 2)
    return resultat


def manual_grade(assignment: Assignment) -> str:
    """The French line telling a student or TA that part of the score is still to be graded by hand."""
    if not assignment.manual_cells:
        return ""
    return MSG_MANUAL.format(points=sum(assignment.manual_cells.values()), cellules=", ".join(assignment.manual_cells))
