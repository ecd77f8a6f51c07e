"""The command's log file: third-party warnings and logs (SQLAlchemy, nbgrader, traitlets) go there, not to the TA's terminal."""
from __future__ import annotations

import logging
import warnings
from pathlib import Path

LOG_NAME = "autograder.log"
FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"


def log_path(root: Path) -> Path:
    """Where a course's log lives: resultats/autograder.log."""
    return root / "resultats" / LOG_NAME


def to_file(path: Path) -> None:
    """Send warnings and every logger (nbgrader's traitlets loggers included) to ``chemin`` only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    manager = logging.FileHandler(path, encoding="utf-8")
    manager.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(manager)
    root.setLevel(logging.INFO)
    # traitlets gives configurables without an application a logger that prints to stderr.
    traitlets = logging.getLogger("traitlets")
    for h in list(traitlets.handlers):
        traitlets.removeHandler(h)
    traitlets.propagate = True
    traitlets.setLevel(logging.INFO)
    logging.captureWarnings(True)
    warnings.simplefilter("default")
