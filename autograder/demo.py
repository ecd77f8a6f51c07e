"""`autograder demo`: grade the bundled sample submissions in a course copy of its own, print a score table."""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .assignment import charger_devoir, devoirs_disponibles
from .samples import ecrire_variante

COPIE = ("source", "release", "assignments", "nbgrader_config.py")
MSG_DEMO = ("Démo : {n} copies d'exemple notées dans une copie du cours ({dossier}) ; retours HTML et rapports "
            "de classe dans {dossier}/resultats/. Le gradebook du cours n'a pas été modifié.")


def copie_du_cours(racine: Path) -> Path:
    """A scratch course (source, release, assignments, config) where the demo's gradebook lives."""
    dossier = Path(tempfile.mkdtemp(prefix="autograder-demo-"))
    for nom in COPIE:
        src = racine / nom
        if src.is_dir():
            shutil.copytree(src, dossier / nom, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy(src, dossier / nom)
    return dossier


def demo(racine: Path, jobs: int = 0, journal: Callable[[Path], None] | None = None) -> int:
    from rich.console import Console
    from rich.table import Table

    from .batch import Copie
    from .campagne import lancer
    from .journal import chemin_journal

    cours = copie_du_cours(racine)
    if journal is not None:
        journal(chemin_journal(cours))
    table = Table(title="Copies d'exemple : notes obtenues")
    for col in ("devoir", "copie", "note", "tâches"):
        table.add_column(col)
    total = 0
    for devoir_id in devoirs_disponibles(cours):
        devoir = charger_devoir(cours, devoir_id)
        copies = []
        for exemple in sorted((cours / "assignments" / devoir_id / "exemples").glob("*.py")):
            chemin = cours / "submitted" / exemple.stem / devoir_id / f"{devoir_id}.ipynb"
            ecrire_variante(devoir, exemple, chemin)
            copies.append(Copie(exemple.stem, chemin))
        bilan = lancer(cours, devoir, copies, jobs)
        for etudiant in sorted(bilan.resultats):
            r = bilan.resultats[etudiant]
            detail = ", ".join(f"{t.id} {t.score:g}/{t.max_score:g}" for t in r.tasks)
            table.add_row(devoir_id, etudiant, f"{r.score:g} / {r.max_score:g}", detail)
            total += 1
    Console().print(table)
    print(MSG_DEMO.format(n=total, dossier=cours))
    return 0
