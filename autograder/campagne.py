"""One batch as the TA runs it: grade, record in nbgrader's gradebook and autograded/, feedback, class report."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .assignment import Devoir
from .batch import Copie, noter_lot
from .journal import chemin_journal
from .results import GradeResult


@dataclass
class Bilan:
    """What a batch did: every result (resumed ones included), who was graded now, where things are."""

    resultats: dict[str, GradeResult] = field(default_factory=dict)
    notees: set[str] = field(default_factory=set)
    url: str = ""
    rapport: Path | None = None
    csv: Path | None = None


def deja_enregistres(racine: Path, devoir: Devoir, gb) -> set[str]:
    """Students whose submission nbgrader already counts as autograded (formgrader's own criterion)."""
    from nbgrader.api import Student, SubmittedAssignment

    lignes = (gb.db.query(Student.id).join(SubmittedAssignment)
              .filter(SubmittedAssignment.name == devoir.id).all())
    return {s for (s,) in lignes if (racine / "autograded" / s / devoir.id / f"{devoir.id}.ipynb").is_file()}


def lancer(racine: Path, devoir: Devoir, copies: list[Copie], jobs: int = 0, afficher: bool = True) -> Bilan:
    """Grade ``copies`` (resumably), keep nbgrader's picture complete, write the class report.
    Raises batch.Interrompu on Ctrl-C; what was graded until then is saved and recorded."""
    from .gradebook import Enregistreur, assurer_devoir, url_gradebook

    sortie = racine / "resultats" / devoir.id
    bilan = Bilan()
    etat: dict = {}

    def preparer() -> None:  # runs while the workers grade the first copies
        bilan.url = url_gradebook(racine)
        assurer_devoir(racine, devoir, bilan.url)
        etat["enr"] = Enregistreur(racine, devoir, bilan.url)
        etat["deja"] = deja_enregistres(racine, devoir, etat["enr"].gb)

    def au_resultat(copie: Copie, r: GradeResult) -> None:
        from .feedback import ecrire

        etat["enr"].enregistrer(copie.etudiant, copie.chemin, r)
        ecrire(r, copie.etudiant, sortie / f"{copie.etudiant}.html")

    try:
        bilan.resultats, bilan.notees = noter_lot(racine, devoir, copies, sortie, jobs or os.cpu_count() or 1,
                                                  au_resultat, afficher=afficher, preparer=preparer,
                                                  journal=chemin_journal(racine))
        for c in copies:  # results resumed from an earlier run that nbgrader does not have yet
            r = bilan.resultats.get(c.etudiant)
            if r is not None and c.etudiant not in bilan.notees and c.etudiant not in etat["deja"]:
                etat["enr"].enregistrer(c.etudiant, c.chemin, r)
            if r is not None and not (sortie / f"{c.etudiant}.html").is_file():
                from .feedback import ecrire

                ecrire(r, c.etudiant, sortie / f"{c.etudiant}.html")
    finally:
        if "enr" in etat:
            etat["enr"].close()
    from .report import ecrire_rapport

    bilan.rapport, bilan.csv = ecrire_rapport(racine, devoir, bilan.url)
    return bilan
