"""The sandbox's parent side: what it kills when a child ends, and what it must leave alone."""
from __future__ import annotations

import subprocess
import sys

from conftest import RACINE

APPELANT = """
import subprocess, sys
from pathlib import Path
from autograder.assignment import charger_devoir
from autograder.engine import noter_notebook
racine = Path(sys.argv[1])
voisin = subprocess.Popen(["sleep", "60"])  # a child the caller had before grading
devoir = charger_devoir(racine, "01-bases")
r = noter_notebook(devoir.notebook_source, devoir, mode="fork")
vivant = voisin.poll() is None
voisin.kill()
voisin.wait(5)
print(r.score == r.max_score, vivant)
"""


def test_les_autres_enfants_de_l_appelant_survivent():
    """As subreaper the grader kills orphans left by student code, never the caller's own children.

    (scripts/determinisme.py lost its CPU burners this way, and then hung on their shared lock.)
    """
    proc = subprocess.run([sys.executable, "-c", APPELANT, str(RACINE)], capture_output=True, text=True,
                          timeout=120, cwd=RACINE)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]
