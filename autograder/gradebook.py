"""Write results into nbgrader's gradebook (any SQLAlchemy URL), so export and formgrader see them."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from .assignment import Devoir
from .results import GradeResult


def url_gradebook(racine: Path) -> str:
    """The course's db_url as nbgrader_config.py sets it (sqlite:///<root>/gradebook.db by default)."""
    from traitlets.config.loader import PyFileConfigLoader

    conf = PyFileConfigLoader("nbgrader_config.py", path=str(racine)).load_config()
    url = conf.get("CourseDirectory", {}).get("db_url")
    return str(url) if url else f"sqlite:///{racine / 'gradebook.db'}"


def environnement_nbgrader() -> dict[str, str]:
    """nbgrader runs `alembic` as a command: this interpreter's scripts folder goes first on PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def generer_release(racine: Path, devoir_id: str) -> None:
    """Run nbgrader's own generate_assignment (it also registers the notebook and grade cells in the gradebook)."""
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", devoir_id, "--force",
                    "--log-level=ERROR"], cwd=racine, check=True, env=environnement_nbgrader(),
                   stdout=subprocess.DEVNULL)


def assurer_devoir(racine: Path, devoir: Devoir, url: str) -> None:
    """Make sure nbgrader knows the assignment's notebook and grade cells (generate_assignment registers them)."""
    with Gradebook(url) as gb:
        try:
            gb.find_notebook(devoir.id, devoir.id)
            return
        except MissingEntry:
            pass
    generer_release(racine, devoir.id)


def enregistrer(gb: Gradebook, devoir: Devoir, etudiant: str, resultat: GradeResult) -> None:
    """Store every task's score as the auto score of its locked test cell ``test_<task>`` (one open gradebook)."""
    gb.update_or_create_student(etudiant)
    try:
        gb.find_submission(devoir.id, etudiant)
    except MissingEntry:
        gb.add_submission(devoir.id, etudiant)
    for tache in resultat.tasks:
        note = gb.find_grade(f"test_{tache.id}", devoir.id, devoir.id, etudiant)
        note.auto_score = tache.score
    gb.db.commit()
