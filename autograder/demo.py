"""`autograder demo`: build the release, grade the bundled sample submissions, print a score table."""
from __future__ import annotations

import os
from pathlib import Path

from nbgrader.api import Gradebook
from rich.console import Console
from rich.table import Table

from .assignment import charger_devoir, devoirs_disponibles
from .batch import noter_lot, trouver_copies
from .feedback import ecrire
from .gradebook import enregistrer, generer_release, url_gradebook
from .samples import ecrire_variante


def demo(racine: Path, jobs: int = 0) -> int:
    console = Console()
    url = url_gradebook(racine)
    table = Table(title="Copies d'exemple : notes obtenues")
    for col in ("devoir", "copie", "note", "tâches"):
        table.add_column(col)
    total = 0
    for devoir_id in devoirs_disponibles(racine):
        generer_release(racine, devoir_id)
        devoir = charger_devoir(racine, devoir_id)
        for exemple in sorted((racine / "assignments" / devoir_id / "exemples").glob("*.py")):
            ecrire_variante(devoir, exemple,
                            racine / "submitted" / exemple.stem / devoir_id / f"{devoir_id}.ipynb")
        copies = [c for c in trouver_copies(racine / "submitted", devoir_id)]
        sortie = racine / "resultats" / devoir_id

        with Gradebook(url) as gb:
            def au_resultat(copie, r, devoir=devoir, sortie=sortie, gb=gb) -> None:
                enregistrer(gb, devoir, copie.etudiant, r)
                ecrire(r, copie.etudiant, sortie / f"{copie.etudiant}.html")

            resultats = noter_lot(racine, devoir, copies, sortie, jobs or os.cpu_count() or 1, au_resultat)
        for etudiant in sorted(resultats):
            r = resultats[etudiant]
            detail = ", ".join(f"{t.id} {t.score:g}/{t.max_score:g}" for t in r.tasks)
            table.add_row(devoir_id, etudiant, f"{r.score:g} / {r.max_score:g}", detail)
            total += 1
    console.print(table)
    print(f"Démo : {total} copies d'exemple notées ; retours HTML dans resultats/, notes dans {url}.")
    return 0
