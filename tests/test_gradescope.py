"""The Gradescope bundle: its run_autograder writes a valid results.json for correct, wrong and broken copies."""
from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from autograder.assignment import charger_devoir
from autograder.gradebook import environnement_nbgrader
from autograder.lms.gradescope import MSG_AUCUN_NOTEBOOK
from autograder.samples import ecrire_variante

from conftest import CATALOGUE, RACINE, executer_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


DEVOIR = "02-verrous"
VISIBILITES = {"hidden", "after_due_date", "after_published", "visible"}


@pytest.fixture(scope="module")
def paquet(tmp_path_factory) -> Path:
    sortie = tmp_path_factory.mktemp("gs") / "paquet.zip"
    proc = executer_cli("gradescope", DEVOIR, "--output", str(sortie))
    assert proc.returncode == 0, proc.stderr
    return sortie


def valider(resultats: dict) -> None:
    """The documented fields of Gradescope's results.json."""
    assert isinstance(resultats["score"], (int, float))
    assert resultats["visibility"] in VISIBILITES and resultats["stdout_visibility"] in VISIBILITES
    assert isinstance(resultats["output"], str) and isinstance(resultats["execution_time"], (int, float))
    for t in resultats["tests"]:
        assert isinstance(t["name"], str) and isinstance(t["output"], str)
        assert isinstance(t["score"], (int, float)) and isinstance(t["max_score"], (int, float))
        assert 0 <= t["score"] <= t["max_score"] and t["visibility"] in VISIBILITES


def lancer(paquet: Path, tmp_path: Path, copie: Path | None) -> dict:
    racine = tmp_path / "autograder"
    with zipfile.ZipFile(paquet) as z:
        z.extractall(racine / "source")
        assert {"setup.sh", "run_autograder"} <= set(z.namelist())
    (racine / "submission").mkdir()
    if copie is not None:
        shutil.copy(copie, racine / "submission" / copie.name)
    env = dict(environnement_nbgrader(), AUTOGRADER_GRADESCOPE_ROOT=str(racine), PYTHONPATH=str(racine / "source"))
    proc = subprocess.run(["bash", str(racine / "source" / "run_autograder")], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    resultats = json.loads((racine / "results" / "results.json").read_text(encoding="utf-8"))
    valider(resultats)
    return resultats


def test_copie_juste(paquet, tmp_path):
    r = lancer(paquet, tmp_path, RACINE / "source" / DEVOIR / f"{DEVOIR}.ipynb")
    assert r["score"] == 10 and sum(t["max_score"] for t in r["tests"]) == pytest.approx(10, abs=0.05)
    assert all(t["status"] == "passed" and t["visibility"] == "after_due_date" for t in r["tests"])


def test_copie_fausse(paquet, tmp_path):
    nb = ecrire_variante(charger_devoir(RACINE, DEVOIR), CATALOGUE / DEVOIR / "ko_sans_verrou.py",
                         tmp_path / "depot" / "mon travail.ipynb")
    r = lancer(paquet, tmp_path, nb)
    assert r["score"] == 7
    echec = [t for t in r["tests"] if t["status"] == "failed"]
    assert len(echec) == 1 and "Mise à jour perdue" in echec[0]["output"]


def test_copie_cassee_et_absente(paquet, tmp_path):
    casse = tmp_path / f"{DEVOIR}.ipynb"
    casse.write_text("{pas du json", encoding="utf-8")
    r = lancer(paquet, tmp_path / "a", casse)
    assert r["score"] == 0 and "JSON invalide" in r["output"]
    r = lancer(paquet, tmp_path / "b", None)
    assert r["score"] == 0 and MSG_AUCUN_NOTEBOOK.format(devoir=DEVOIR) in r["output"]


def test_paquet_sans_fuite_vers_les_etudiants(paquet):
    """The bundle carries the hidden grader (Gradescope runs it) but no result output shows its text."""
    with zipfile.ZipFile(paquet) as z:
        noms = z.namelist()
    assert f"assignments/{DEVOIR}/test_02_verrous.py" in noms
    assert not any(n.startswith(("tests/", "release/", "submitted/")) for n in noms)
