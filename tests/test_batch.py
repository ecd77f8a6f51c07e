"""`autograder batch`: one result per submission whatever happens, nbgrader's picture complete, resumable,
and a command line that never surprises (Ctrl-C, skipped files, empty folder, no venv on PATH, French)."""
from __future__ import annotations

import csv
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.argparse_fr import TRADUCTIONS
from autograder.assignment import charger_devoir
from autograder.batch import IGNORE_HORS_DOSSIER, IGNORE_NOM
from autograder.cli import EXIT_INTERRUPTION, EXIT_VIDE, MSG_IGNORE, MSG_INTERRUPTION, MSG_LOT, MSG_VIDE, analyseur
from autograder.gradebook import environnement_nbgrader
from autograder.samples import ecrire_variante
from autograder.results import read_result

from conftest import CATALOGUE, RACINE, executer_cli, nbgrader, noter_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


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


def api_nbgrader(cours: Path):
    """nbgrader's own API object, configured from the course's nbgrader_config.py, as formgrader builds it."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    conf = PyFileConfigLoader("nbgrader_config.py", path=str(cours)).load_config()
    conf.CourseDirectory.root = str(cours)
    return NbGraderAPI(CourseDirectory(config=conf), config=conf)


def test_lot_complet_puis_reprise(lot: Path, tmp_path: Path):
    proc = executer_cli("batch", "--assignment", DEVOIR, "--jobs", "2", "--quiet", cwd=lot)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no SAWarning, no nbgrader checksum warning: they are in the log file
    assert (lot / "resultats" / "autograder.log").is_file()
    sortie = lot / "resultats" / DEVOIR
    noms = sorted(HONNETES + HOSTILES + ["illisible"])
    assert sorted(f.stem for f in sortie.glob("*.json")) == noms
    assert sorted(f.stem for f in sortie.glob("*.html") if f.stem != "rapport") == noms
    url = f"sqlite:///{lot / 'gradebook.db'}"
    assert proc.stdout.strip().splitlines()[-1] == MSG_LOT.format(
        n=len(noms), id=DEVOIR, nouvelles=len(noms), reprises=0, sortie=f"resultats/{DEVOIR}",
        rapport=f"resultats/{DEVOIR}/rapport.html", url=url)
    resultats = {n: read_result(sortie / f"{n}.json") for n in noms}
    for n in HONNETES:  # the same score as when graded alone
        seul, _ = noter_cli(lot / "submitted" / n / DEVOIR / f"{DEVOIR}.ipynb", DEVOIR, tmp_path, cwd=lot)
        assert [t.score for t in resultats[n].tasks] == [t["score"] for t in seul["tasks"]], n
    assert resultats["boucle_infinie_appel"].tasks[0].score == 0
    assert resultats["boucle_infinie_appel"].tasks[2].score == 4
    assert resultats["illisible"].score == 0 and resultats["illisible"].errors
    assert all(r.duration > 0 for r in resultats.values())

    # Formgrader's own view (nbgrader's API): every submission autograded, with the batch's score.
    vues = {s["student"]: s for s in api_nbgrader(lot).get_submissions(DEVOIR)}
    assert {n: (v["autograded"], v["score"], v["max_score"]) for n, v in vues.items()} == {
        n: (True, resultats[n].score, 10.0) for n in noms}

    # nbgrader's own export and feedback work after the batch alone.
    nbgrader("export", "--to", str(tmp_path / "notes.csv"), cwd=lot)
    with open(tmp_path / "notes.csv", newline="", encoding="utf-8") as f:
        lignes = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f) if r["assignment"] == DEVOIR}
    assert lignes == {n: resultats[n].score for n in noms}
    nbgrader("generate_feedback", DEVOIR, "--log-level=ERROR", cwd=lot)
    assert sorted(p.parent.parent.name for p in (lot / "feedback").rglob("*.html")) == noms

    avant = mtimes(sortie)
    proc = executer_cli("batch", "--assignment", DEVOIR, "--quiet", cwd=lot)
    assert proc.returncode == 0 and mtimes(sortie) == avant  # nothing regraded

    nb = lot / "submitted" / "ko_sans_verrou" / DEVOIR / f"{DEVOIR}.ipynb"
    shutil.copy(lot / "source" / DEVOIR / f"{DEVOIR}.ipynb", nb)  # a resubmission is graded again
    executer_cli("batch", "--assignment", DEVOIR, "--quiet", cwd=lot)
    apres = mtimes(sortie)
    assert [n for n in apres if apres[n] != avant[n]] == ["ko_sans_verrou.json"]
    assert read_result(sortie / "ko_sans_verrou.json").score == 10
    assert {s["student"]: s["score"] for s in api_nbgrader(lot).get_submissions(DEVOIR)}["ko_sans_verrou"] == 10


def test_ctrl_c_arrete_et_dit_comment_reprendre(lot: Path):
    """SIGINT while a hanging copy is graded: the command stops, says in French that a rerun resumes."""
    sortie = lot / "resultats" / DEVOIR
    proc = subprocess.Popen([sys.executable, "-m", "autograder.cli", "batch", "--assignment", DEVOIR, "--jobs", "1",
                             "--quiet"], cwd=lot, env=environnement_nbgrader(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    limite = time.monotonic() + 120
    while time.monotonic() < limite and len(list(sortie.glob("*.json"))) < 2:
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, erreurs = proc.communicate(timeout=30)
    faits = mtimes(sortie)
    assert proc.returncode == EXIT_INTERRUPTION
    assert erreurs.strip() == MSG_INTERRUPTION.format(n=len(faits))
    assert "Traceback" not in erreurs
    assert 2 <= len(faits) < 7
    executer_cli("batch", "--assignment", DEVOIR, "--quiet", cwd=lot)
    apres = mtimes(sortie)
    assert len(apres) == 7
    assert all(apres[n] == faits[n] for n in faits)  # finished results were not regraded


def test_fichiers_ignores_nommes(cours: Path):
    depot = cours / "submitted" / "dupont" / DEVOIR
    depot.mkdir(parents=True)
    shutil.copy(cours / "source" / DEVOIR / f"{DEVOIR}.ipynb", depot / f"{DEVOIR}.ipynb")
    shutil.copy(cours / "release" / DEVOIR / f"{DEVOIR}.ipynb", depot / f"{DEVOIR}-Copy1.ipynb")
    shutil.copy(cours / "release" / DEVOIR / f"{DEVOIR}.ipynb", cours / "submitted" / "perdu.ipynb")
    proc = executer_cli("batch", "--assignment", DEVOIR, "--quiet", cwd=cours)
    assert proc.returncode == 0, proc.stderr
    lignes = proc.stdout.splitlines()
    attendu = f"{DEVOIR}.ipynb"
    assert MSG_IGNORE.format(chemin=f"submitted/dupont/{DEVOIR}/{DEVOIR}-Copy1.ipynb",
                             raison=IGNORE_NOM.format(attendu=attendu)) in lignes
    assert MSG_IGNORE.format(chemin="submitted/perdu.ipynb", raison=IGNORE_HORS_DOSSIER.format(id=DEVOIR)) in lignes
    assert sorted(p.stem for p in (cours / "resultats" / DEVOIR).glob("*.json")) == ["dupont"]


def test_dossier_vide(cours: Path):
    (cours / "submitted").mkdir()
    proc = executer_cli("batch", "--assignment", DEVOIR, "--quiet", cwd=cours)
    assert proc.returncode == EXIT_VIDE
    assert proc.stderr.strip() == f"autograder : {MSG_VIDE.format(id=DEVOIR, dossier='submitted')}"
    assert not (cours / "gradebook.db").exists()


def test_commande_par_son_chemin_sans_venv_sur_le_path(cours: Path):
    """`.venv/bin/autograder batch` on a fresh course, with a PATH that lacks the venv (nbgrader runs alembic)."""
    commande = Path(sys.executable).parent / "autograder"
    depot = cours / "submitted" / "dupont" / DEVOIR
    depot.mkdir(parents=True)
    shutil.copy(cours / "source" / DEVOIR / f"{DEVOIR}.ipynb", depot / f"{DEVOIR}.ipynb")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin")
                                  if not (Path(p) / "alembic").exists())
    proc = subprocess.run([str(commande), "batch", "--assignment", DEVOIR, "--quiet"], cwd=cours, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    vues = api_nbgrader(cours).get_submissions(DEVOIR)
    assert [(v["student"], v["autograded"], v["score"]) for v in vues] == [("dupont", True, 10.0)]


def test_aide_et_erreurs_en_francais(cours: Path):
    for commande, sous in analyseur()._subparsers._group_actions[0].choices.items():
        for action in sous._actions:
            assert action.help, (commande, action.dest)  # every option is described
    aide = executer_cli("batch", "--help", cwd=cours)
    assert aide.returncode == 0
    assert aide.stdout.startswith(TRADUCTIONS["usage: "] + "autograder batch")
    assert TRADUCTIONS["show this help message and exit"] in aide.stdout
    for option in ("--assignment", "--jobs", "--quiet", "DOSSIER"):
        assert option in aide.stdout
    manque = executer_cli("batch", cwd=cours)
    assert manque.returncode == 2
    assert manque.stderr.splitlines()[-1] == "autograder batch : erreur : " + \
        TRADUCTIONS["the following arguments are required: %s"] % "--assignment"
    jobs = executer_cli("batch", "--assignment", DEVOIR, "--jobs", "zéro", cwd=cours)
    assert jobs.stderr.splitlines()[-1] == ("autograder batch : erreur : argument --jobs : "
                                            "nombre entier attendu : 'zéro'")
    inconnu = executer_cli("corriger", cwd=cours)
    assert "choix invalide : 'corriger'" in inconnu.stderr.splitlines()[-1]


def test_dossier_de_notebooks(cours: Path):
    dossier = cours / "depot"
    dossier.mkdir()
    shutil.copy(cours / "source" / DEVOIR / f"{DEVOIR}.ipynb", dossier / "dupont.ipynb")
    shutil.copy(cours / "release" / DEVOIR / f"{DEVOIR}.ipynb", dossier / "durand.ipynb")
    proc = executer_cli("batch", str(dossier), "--assignment", DEVOIR, "--quiet", cwd=cours)
    assert proc.returncode == 0, proc.stderr
    notes = {f.stem: read_result(f).score for f in (cours / "resultats" / DEVOIR).glob("*.json")}
    assert notes == {"dupont": 10, "durand": 0}


def test_aucune_cible_make_ne_supprime_copies_ou_notes():
    texte = subprocess.run(["make", "-n", "clean"], cwd=RACINE, capture_output=True, text=True).stdout
    for precieux in ("submitted", "gradebook.db", "autograded", "feedback", "exports", "resultats"):
        assert precieux not in texte


def test_demo_dans_sa_propre_copie_du_cours(cours: Path):
    """`autograder demo` grades its samples in a scratch course: the real course's gradebook never sees them."""
    from autograder.demo import MSG_DEMO

    proc = executer_cli("demo", "--jobs", "2", cwd=cours, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for precieux in ("gradebook.db", "submitted", "resultats", "autograded"):
        assert not (cours / precieux).exists(), precieux
    modele = re.escape(MSG_DEMO).replace(re.escape("{n}"), r"(\d+)").replace(re.escape("{dossier}"), r"(\S+)")
    n, copie, _ = re.fullmatch(modele, proc.stdout.strip().splitlines()[-1]).groups()
    copie = Path(copie)
    try:
        exemples = sorted((RACINE / "assignments").glob("*/exemples/*.py"))
        assert int(n) == len(exemples)
        vues = {(d, s["student"]) for d in ("01-bases", "02-verrous", "03-file-attente", "04-gil")
                for s in api_nbgrader(copie).get_submissions(d) if s["autograded"]}
        assert vues == {(f.parent.parent.name, f.stem) for f in exemples}
        assert all((copie / "resultats" / f.parent.parent.name / "rapport.html").is_file() for f in exemples)
    finally:
        shutil.rmtree(copie)
