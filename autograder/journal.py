"""The command's log file: third-party warnings and logs (SQLAlchemy, nbgrader, traitlets) go there, not to the TA's terminal."""
from __future__ import annotations

import logging
import warnings
from pathlib import Path

NOM_JOURNAL = "autograder.log"
FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"


def chemin_journal(racine: Path) -> Path:
    """Where a course's log lives: resultats/autograder.log."""
    return racine / "resultats" / NOM_JOURNAL


def vers_fichier(chemin: Path) -> None:
    """Send warnings and every logger (nbgrader's traitlets loggers included) to ``chemin`` only."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    gestionnaire = logging.FileHandler(chemin, encoding="utf-8")
    gestionnaire.setFormatter(logging.Formatter(FORMAT))
    racine = logging.getLogger()
    for h in list(racine.handlers):
        racine.removeHandler(h)
    racine.addHandler(gestionnaire)
    racine.setLevel(logging.INFO)
    # traitlets gives configurables without an application a logger that prints to stderr.
    traitlets = logging.getLogger("traitlets")
    for h in list(traitlets.handlers):
        traitlets.removeHandler(h)
    traitlets.propagate = True
    traitlets.setLevel(logging.INFO)
    logging.captureWarnings(True)
    warnings.simplefilter("default")
