"""`autograder demo`: grade the bundled sample submissions in a course copy of its own, print a score table."""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .assignment import load_assignment, available_assignments
from .samples import write_variant

COPY = ("source", "release", "assignments", "nbgrader_config.py")
MSG_DEMO = ("Démo : {n} copies d'exemple notées dans une copie du cours ({dossier}) ; retours HTML et rapports "
            "de classe dans {dossier}/resultats/. Le gradebook du cours n'a pas été modifié.")


def course_copy(root: Path) -> Path:
    """A scratch course (source, release, assignments, config) where the demo's gradebook lives."""
    folder = Path(tempfile.mkdtemp(prefix="autograder-demo-"))
    for nom in COPY:
        src = root / nom
        if src.is_dir():
            shutil.copytree(src, folder / nom, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy(src, folder / nom)
    return folder


def demo(root: Path, jobs: int = 0, journal: Callable[[Path], None] | None = None) -> int:
    from rich.console import Console
    from rich.table import Table

    from .batch import Copy
    from .campaign import run_batch
    from .journal import log_path

    cours = course_copy(root)
    if journal is not None:
        journal(log_path(cours))
    table = Table(title="Copies d'exemple : notes obtenues")
    for col in ("devoir", "copie", "note", "tâches"):
        table.add_column(col)
    total = 0
    for assignment_id in available_assignments(cours):
        assignment = load_assignment(cours, assignment_id)
        copies = []
        for example in sorted((cours / "assignments" / assignment_id / "exemples").glob("*.py")):
            path = cours / "submitted" / example.stem / assignment_id / f"{assignment_id}.ipynb"
            write_variant(assignment, example, path)
            copies.append(Copy(example.stem, path))
        campaign_summary = run_batch(cours, assignment, copies, jobs)
        for etudiant in sorted(campaign_summary.resultats):
            r = campaign_summary.resultats[etudiant]
            detail = ", ".join(f"{t.id} {t.score:g}/{t.max_score:g}" for t in r.tasks)
            table.add_row(assignment_id, etudiant, f"{r.score:g} / {r.max_score:g}", detail)
            total += 1
    Console().print(table)
    print(MSG_DEMO.format(n=total, dossier=cours))
    return 0
