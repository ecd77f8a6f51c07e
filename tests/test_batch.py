"""`autograder batch`: one result per submission whatever happens, gradebook filled, resumable."""
from __future__ import annotations

import csv
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.assignment import charger_devoir
from autograder.samples import ecrire_variante

from autograder.gradebook import environnement_nbgrader

from conftest import CATALOGUE, RACINE, executer_cli, nbgrader, noter_cli

DEVOIR = "02-verrous"
HONNETES = ["ok_rlock", "ko_sans_verrou", "ko_compter_serie", "ko_compte_verifier_puis_agir"]
HOSTILES = ["boucle_infinie_appel", "exit_reel_appel"]


@pytest.fixture
def lot(cours: Path) -> Path:
    """submitted/ with honest, hanging, crashing and unreadable copies; short task limits for speed."""
    bareme = cours / "assignments" / DEVOIR / "bareme.toml"
    bareme.write_text(re.sub(r"delai_tache = \d+", "delai_tache = 4", bareme.read_text()), encoding="utf-8")
    d = charger_devoir(cours, DEVOIR)
    for nom in HONNETES:
        ecrire_variante(d, CATALOGUE / DEVOIR / f"{nom}.py", cours / "submitted" / nom / DEVOIR / f"{DEVOIR}.ipynb")
    for nom in HOSTILES:
        ecrire_variante(d, RACINE / "tests" / "hostiles" / f"{nom}.py",
                        cours / "submitted" / nom / DEVOIR / f"{DEVOIR}.ipynb")
    casse = cours / "submitted" / "illisible" / DEVOIR
    casse.mkdir(parents=True)
    (casse / f"{DEVOIR}.ipynb").write_text('{"cells": [', encoding="utf-8")
    return cours


def mtimes(dossier: Path) -> dict[str, float]:
    return {f.name: f.stat().st_mtime_ns for f in dossier.glob("*.json")}


def test_lot_complet_puis_reprise(lot: Path, tmp_path: Path):
    proc = executer_cli("batch", "--assignment", DEVOIR, "--jobs", "2", "--quiet", cwd=lot)
    assert proc.returncode == 0, proc.stderr
    sortie = lot / "resultats" / DEVOIR
    noms = sorted(HONNETES + HOSTILES + ["illisible"])
    assert sorted(f.stem for f in sortie.glob("*.json")) == noms
    assert sorted(f.stem for f in sortie.glob("*.html")) == noms
    assert proc.stdout.strip().splitlines()[-1].startswith(f"{len(noms)} copie(s) de {DEVOIR} notée(s)")
    resultats = {n: json.loads((sortie / f"{n}.json").read_text(encoding="utf-8")) for n in noms}
    for n in HONNETES:  # the same score as when graded alone
        seul, _ = noter_cli(lot / "submitted" / n / DEVOIR / f"{DEVOIR}.ipynb", DEVOIR, tmp_path, cwd=lot)
        assert [t["score"] for t in resultats[n]["tasks"]] == [t["score"] for t in seul["tasks"]], n
    assert resultats["boucle_infinie_appel"]["tasks"][0]["score"] == 0
    assert resultats["boucle_infinie_appel"]["tasks"][2]["score"] == 4
    assert resultats["illisible"]["score"] == 0 and resultats["illisible"]["errors"]

    # The gradebook is nbgrader's: its own export sees the same totals.
    nbgrader("export", "--to", str(tmp_path / "notes.csv"), cwd=lot)
    with open(tmp_path / "notes.csv", newline="", encoding="utf-8") as f:
        lignes = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f) if r["assignment"] == DEVOIR}
    assert lignes == {n: resultats[n]["score"] for n in noms}

    avant = mtimes(sortie)
    proc = executer_cli("batch", "--assignment", DEVOIR, "--quiet", cwd=lot)
    assert proc.returncode == 0 and mtimes(sortie) == avant  # nothing regraded

    nb = lot / "submitted" / "ko_sans_verrou" / DEVOIR / f"{DEVOIR}.ipynb"
    shutil.copy(lot / "source" / DEVOIR / f"{DEVOIR}.ipynb", nb)  # a resubmission is graded again
    executer_cli("batch", "--assignment", DEVOIR, "--quiet", cwd=lot)
    apres = mtimes(sortie)
    assert [n for n in apres if apres[n] != avant[n]] == ["ko_sans_verrou.json"]
    assert json.loads((sortie / "ko_sans_verrou.json").read_text(encoding="utf-8"))["score"] == 10


def test_interruption_puis_reprise(lot: Path):
    sortie = lot / "resultats" / DEVOIR
    proc = subprocess.Popen([sys.executable, "-m", "autograder.cli", "batch", "--assignment", DEVOIR, "--jobs", "1",
                             "--quiet"], cwd=lot, env=environnement_nbgrader(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    limite = time.monotonic() + 60
    while time.monotonic() < limite and len(list(sortie.glob("*.json"))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    faits = mtimes(sortie)
    assert 2 <= len(faits) < 7
    executer_cli("batch", "--assignment", DEVOIR, "--quiet", cwd=lot)
    apres = mtimes(sortie)
    assert len(apres) == 7
    assert all(apres[n] == faits[n] for n in faits)  # finished results were not regraded


def test_dossier_de_notebooks(cours: Path):
    dossier = cours / "depot"
    dossier.mkdir()
    shutil.copy(cours / "source" / DEVOIR / f"{DEVOIR}.ipynb", dossier / "dupont.ipynb")
    shutil.copy(cours / "release" / DEVOIR / f"{DEVOIR}.ipynb", dossier / "durand.ipynb")
    proc = executer_cli("batch", str(dossier), "--assignment", DEVOIR, "--quiet", cwd=cours)
    assert proc.returncode == 0, proc.stderr
    notes = {f.stem: json.loads(f.read_text(encoding="utf-8"))["score"] for f in (cours / "resultats" / DEVOIR).glob("*.json")}
    assert notes == {"dupont": 10, "durand": 0}
