"""The Gradescope bundle: its run_autograder writes a valid results.json for correct, wrong and broken copies."""
from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from autograder.assignment import load_assignment
from autograder.gradebook import environnement_nbgrader
from autograder.lms.gradescope import MSG_NO_NOTEBOOK
from autograder.samples import write_variant

from conftest import CATALOGUE, ROOT, execute_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


ASSIGNMENT = "02-verrous"
VISIBILITIES = {"hidden", "after_due_date", "after_published", "visible"}


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("gs") / "paquet.zip"
    proc = execute_cli("gradescope", ASSIGNMENT, "--output", str(output))
    assert proc.returncode == 0, proc.stderr
    return output


def validate(resultats: dict) -> None:
    """The documented fields of Gradescope's results.json."""
    assert isinstance(resultats["score"], (int, float))
    assert resultats["visibility"] in VISIBILITIES and resultats["stdout_visibility"] in VISIBILITIES
    assert isinstance(resultats["output"], str) and isinstance(resultats["execution_time"], (int, float))
    for t in resultats["tests"]:
        assert isinstance(t["name"], str) and isinstance(t["output"], str)
        assert isinstance(t["score"], (int, float)) and isinstance(t["max_score"], (int, float))
        assert 0 <= t["score"] <= t["max_score"] and t["visibility"] in VISIBILITIES


def run_bundle(package: Path, tmp_path: Path, submission_copy: Path | None) -> dict:
    root = tmp_path / "autograder"
    with zipfile.ZipFile(package) as z:
        z.extractall(root / "source")
        assert {"setup.sh", "run_autograder"} <= set(z.namelist())
    (root / "submission").mkdir()
    if submission_copy is not None:
        shutil.copy(submission_copy, root / "submission" / submission_copy.name)
    env = dict(environnement_nbgrader(), AUTOGRADER_GRADESCOPE_ROOT=str(root), PYTHONPATH=str(root / "source"))
    proc = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    resultats = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    validate(resultats)
    return resultats


def test_copy_just(package, tmp_path):
    r = run_bundle(package, tmp_path, ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    assert r["score"] == 10 and sum(t["max_score"] for t in r["tests"]) == pytest.approx(10, abs=0.05)
    assert all(t["status"] == "passed" and t["visibility"] == "after_due_date" for t in r["tests"])


def test_copy_false(package, tmp_path):
    nb = write_variant(load_assignment(ROOT, ASSIGNMENT), CATALOGUE / ASSIGNMENT / "ko_sans_verrou.py",
                         tmp_path / "depot" / "mon travail.ipynb")
    r = run_bundle(package, tmp_path, nb)
    assert r["score"] == 7
    failure = [t for t in r["tests"] if t["status"] == "failed"]
    assert len(failure) == 1 and "Mise à jour perdue" in failure[0]["output"]


def test_copy_broken_and_missing(package, tmp_path):
    broken = tmp_path / f"{ASSIGNMENT}.ipynb"
    broken.write_text("{pas du json", encoding="utf-8")
    r = run_bundle(package, tmp_path / "a", broken)
    assert r["score"] == 0 and "JSON invalide" in r["output"]
    r = run_bundle(package, tmp_path / "b", None)
    assert r["score"] == 0 and MSG_NO_NOTEBOOK.format(devoir=ASSIGNMENT) in r["output"]


def test_package_without_leak_to_students(package):
    """The bundle carries the hidden grader (Gradescope runs it) but no result output shows its text."""
    with zipfile.ZipFile(package) as z:
        name_set = z.namelist()
    assert f"assignments/{ASSIGNMENT}/test_02_verrous.py" in name_set
    assert not any(n.startswith(("tests/", "release/", "submitted/")) for n in name_set)
