"""The sandbox's parent side: what it kills when a child ends, and what it must leave alone."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import RACINE

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


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


SCRIPT_SANS_GARDE = """
import sys
from pathlib import Path
from autograder.assignment import charger_devoir
from autograder.engine import noter_notebook
from autograder.samples import ecrire_variante
racine, variante, dossier = (Path(a) for a in sys.argv[1:4])
devoir = charger_devoir(racine, "04-gil")
nb = ecrire_variante(devoir, variante, dossier / "04-gil.ipynb")
r = noter_notebook(nb, devoir, mode="fork")
print({t.id: t.score for t in r.tasks})
"""


def test_un_pool_spawn_ne_relance_pas_le_script_de_l_appelant(tmp_path):
    """A spawn pool re-imports __main__ in its workers: a TA's unguarded script must not run again there."""
    script = tmp_path / "noter_sans_garde.py"
    script.write_text(SCRIPT_SANS_GARDE, encoding="utf-8")
    variante = RACINE / "tests" / "soumissions" / "04-gil" / "ok_calculer_spawn.py"
    proc = subprocess.run([sys.executable, str(script), str(RACINE), str(variante), str(tmp_path)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "{'telecharger_tous': 4.0, 'calculer_en_parallele': 4.0}"
