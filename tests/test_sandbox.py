"""The sandbox's parent side: what it kills when a child ends, and what it must leave alone."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


CALLER = """
import subprocess, sys
from pathlib import Path
from autograder.assignment import load_assignment
from autograder.engine import grade_notebook
root = Path(sys.argv[1])
neighbour = subprocess.Popen(["sleep", "60"])  # a child the caller had before grading
assignment = load_assignment(root, "01-bases")
r = grade_notebook(assignment.notebook_source, assignment, mode="fork")
vivant = neighbour.poll() is None
neighbour.kill()
neighbour.wait(5)
print(r.score == r.max_score, vivant)
"""


def test_others_children_of_caller_survive():
    """As subreaper the grader kills orphans left by student code, never the caller's own children.

    (scripts/determinism.py lost its CPU burners this way, and then hung on their shared lock.)
    """
    proc = subprocess.run([sys.executable, "-c", CALLER, str(ROOT)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]


SCRIPT_WITHOUT_GUARD = """
import sys
from pathlib import Path
from autograder.assignment import load_assignment
from autograder.engine import grade_notebook
from autograder.samples import write_variant
root, variant, folder = (Path(a) for a in sys.argv[1:4])
assignment = load_assignment(root, "04-gil")
nb = write_variant(assignment, variant, folder / "04-gil.ipynb")
r = grade_notebook(nb, assignment, mode="fork")
print({t.id: t.score for t in r.tasks})
"""


def test_a_pool_spawn_rerun_not_script_of_caller(tmp_path):
    """A spawn pool re-imports __main__ in its workers: a TA's unguarded script must not run again there."""
    script = tmp_path / "noter_sans_garde.py"
    script.write_text(SCRIPT_WITHOUT_GUARD, encoding="utf-8")
    variant = ROOT / "tests" / "soumissions" / "04-gil" / "ok_calculer_spawn.py"
    proc = subprocess.run([sys.executable, str(script), str(ROOT), str(variant), str(tmp_path)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "{'telecharger_tous': 4.0, 'calculer_en_parallele': 4.0}"
