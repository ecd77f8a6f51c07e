"""Hand-graded cells (04-gil's analyse_gil): their points belong to every maximum score the course shows."""
from __future__ import annotations

from .assignment import Devoir
from .results import GradeResult

MSG_MANUEL = "{points:g} point(s) corrigé(s) à la main ({cellules}) : note provisoire, en attente de correction."


def avec_manuel(resultat: GradeResult, devoir: Devoir) -> GradeResult:
    """The engine's result with the hand-graded points added to its maximum (nbgrader's gradebook maximum)."""
    manuels = sum(devoir.manuelles.values())
    if manuels and abs(resultat.max_score - devoir.points) < 1e-9:
        resultat.max_score = round(devoir.points + manuels, 2)
    return resultat


def note_manuelle(devoir: Devoir) -> str:
    """The French line telling a student or TA that part of the score is still to be graded by hand."""
    if not devoir.manuelles:
        return ""
    return MSG_MANUEL.format(points=sum(devoir.manuelles.values()), cellules=", ".join(devoir.manuelles))
