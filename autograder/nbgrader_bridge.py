"""Called by the hidden part of each locked test cell: grades one task with the engine, returns its score."""
from __future__ import annotations

from pathlib import Path

from .assignment import charger_devoir, trouver_racine
from .engine import noter_notebook
from .summary import lignes_tache


def noter(devoir_id: str, tache: str, notebook: str | None = None) -> float:
    """Grade ``tache`` of the notebook in the current folder (nbgrader's autograded copy) in a sandbox.

    The value is the cell's output, which nbgrader reads as partial credit; the messages are printed
    (stdout only: nbgrader gives 0 to a test cell that writes to stderr).
    """
    racine = trouver_racine(Path.cwd())
    devoir = charger_devoir(racine, devoir_id)
    chemin = Path(notebook) if notebook else Path.cwd() / f"{devoir_id}.ipynb"
    resultat = noter_notebook(chemin, devoir, taches=[tache], mode="spawn")
    t = resultat.tasks[0]
    for ligne in lignes_tache(t):
        print(ligne)
    return t.score
