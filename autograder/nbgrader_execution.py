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

from .assignment import Devoir, charger_devoir, trouver_racine
from .engine import noter_notebook, resultat_vide
from .notebook import nbgrader_meta, tache_testee
from .results import GradeResult
from .summary import lignes_tache

MSG_ERREUR_INTERNE = ("La correction automatique n'a pas pu s'exécuter ({detail}) : aucun point n'est attribué "
                      "pour l'instant ; votre enseignant a été prévenu par le journal de correction.")


def noter_cellules(nb: nbformat.NotebookNode, devoir: Devoir) -> GradeResult:
    """The engine's result for ``nb`` (written to a scratch file, graded in sandbox children)."""
    with tempfile.TemporaryDirectory(prefix="nbgrader-isole-") as dossier:
        chemin = Path(dossier) / f"{devoir.id}.ipynb"
        nbformat.write(nb, chemin)
        return noter_notebook(chemin, devoir, mode="spawn")


def restaurer_tests_supprimes(nb: nbformat.NotebookNode, devoir: Devoir) -> list[str]:
    """Put back the locked test cells a student deleted (from source/), after their task's solution cell.

    The engine always grades with source's test cells; without them here nbgrader would record no grade
    for the task (0), and the two paths would disagree. Returns the grade_ids put back.
    """
    presents = {nbgrader_meta(c).get("grade_id") for c in nb.cells}
    source = nbformat.read(devoir.notebook_source, as_version=4)
    remis = []
    for cellule in source.cells:
        grade_id = nbgrader_meta(cellule).get("grade_id", "")
        tache = tache_testee(grade_id)
        if grade_id in presents or tache not in {t.id for t in devoir.taches}:
            continue
        apres = next((i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("grade_id") == tache),
                     len(nb.cells) - 1)
        nb.cells.insert(apres + 1, cellule)
        remis.append(grade_id)
    return remis


def remplir_sorties(nb: nbformat.NotebookNode, resultat: GradeResult) -> dict[str, float]:
    """Each graded test cell's outputs become its task's messages and score; returns grade_id -> score."""
    par_tache = {t.id: t for t in resultat.tasks}
    notes: dict[str, float] = {}
    for cellule in nb.cells:
        meta = nbgrader_meta(cellule)
        grade_id = meta.get("grade_id", "")
        if cellule.cell_type != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        tache = par_tache.get(tache_testee(grade_id))
        if tache is None:
            continue
        texte = "\n".join(lignes_tache(tache)) + "\n"
        cellule.outputs = [
            new_output("stream", name="stdout", text=texte),
            # A float as text/plain: nbgrader's partial credit (utils.get_partial_grade).
            new_output("execute_result", data={"text/plain": repr(float(tache.score))}, execution_count=None),
        ]
        notes[grade_id] = tache.score
    return notes


class ExecutionIsolee(NbGraderPreprocessor):
    """Stands in for nbgrader's ``Execute`` in autograde: scores come from sandboxed runs, not from a kernel."""

    def preprocess(self, nb: nbformat.NotebookNode, resources: dict[str, Any]) -> tuple[nbformat.NotebookNode, dict]:
        devoir_id = resources["nbgrader"]["assignment"]
        etudiant = resources["nbgrader"].get("student", "?")
        racine = trouver_racine(Path(resources.get("metadata", {}).get("path") or Path.cwd()))
        devoir = charger_devoir(racine, devoir_id)
        try:
            resultat = noter_cellules(nb, devoir)
        except Exception as e:  # noqa: BLE001 - a crash is a zero with its reason, never a lost batch
            self.log.error("autograder: %s / %s: %s: %s", etudiant, devoir_id, type(e).__name__, e)
            resultat = resultat_vide(devoir, MSG_ERREUR_INTERNE.format(detail=type(e).__name__))
        remis = restaurer_tests_supprimes(nb, devoir)
        if remis:
            self.log.warning("autograder: %s / %s: locked test cells put back from source/: %s",
                             etudiant, devoir_id, ", ".join(remis))
        notes = remplir_sorties(nb, resultat)
        self.log.info("autograder: %s / %s: %s", etudiant, devoir_id,
                      ", ".join(f"{k} = {v:g}" for k, v in notes.items()))
        return nb, resources
