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

from autograder.argparse_fr import TRANSLATIONS
from autograder.assignment import load_assignment
from autograder.batch import IGNORE_OUTSIDE_FOLDER, IGNORE_NAME, IGNORE_SYMLINK
from autograder.cli import EXIT_INTERRUPTION, EXIT_EMPTY, MSG_IGNORE, MSG_INTERRUPTION, MSG_BATCH, MSG_EMPTY, parser
from autograder.gradebook import environnement_nbgrader
from autograder.samples import write_variant
from autograder.results import read_result

from conftest import CATALOGUE, ROOT, execute_cli, nbgrader, grade_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


ASSIGNMENT = "02-verrous"
HONEST = ["ok_rlock", "ko_sans_verrou", "ko_compter_serie", "ko_compte_verifier_puis_agir"]
HOSTILES = ["boucle_infinie_appel", "exit_reel_appel"]


@pytest.fixture
def lot(cours: Path) -> Path:
    """submitted/ with honest, hanging, crashing and unreadable copies; short task limits for speed."""
    rubric = cours / "assignments" / ASSIGNMENT / "bareme.toml"
    rubric.write_text(re.sub(r"delai_tache = \d+", "delai_tache = 4", rubric.read_text()), encoding="utf-8")
    d = load_assignment(cours, ASSIGNMENT)
    for nom in HONEST:
        write_variant(d, CATALOGUE / ASSIGNMENT / f"{nom}.py", cours / "submitted" / nom / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    for nom in HOSTILES:
        write_variant(d, ROOT / "tests" / "hostiles" / f"{nom}.py",
                        cours / "submitted" / nom / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    broken = cours / "submitted" / "illisible" / ASSIGNMENT
    broken.mkdir(parents=True)
    (broken / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [', encoding="utf-8")
    return cours


def mtimes(folder: Path) -> dict[str, float]:
    return {f.name: f.stat().st_mtime_ns for f in folder.glob("*.json")}


def api_nbgrader(cours: Path):
    """nbgrader's own API object, configured from the course's nbgrader_config.py, as formgrader builds it."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    conf = PyFileConfigLoader("nbgrader_config.py", path=str(cours)).load_config()
    conf.CourseDirectory.root = str(cours)
    return NbGraderAPI(CourseDirectory(config=conf), config=conf)


def test_batch_complete_then_resumption(lot: Path, tmp_path: Path):
    proc = execute_cli("batch", "--assignment", ASSIGNMENT, "--jobs", "2", "--quiet", cwd=lot)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no SAWarning, no nbgrader checksum warning: they are in the log file
    assert (lot / "resultats" / "autograder.log").is_file()
    output = lot / "resultats" / ASSIGNMENT
    name_set = sorted(HONEST + HOSTILES + ["illisible"])
    assert sorted(f.stem for f in output.glob("*.json")) == name_set
    assert sorted(f.stem for f in output.glob("*.html") if f.stem != "rapport") == name_set
    url = f"sqlite:///{lot / 'gradebook.db'}"
    assert proc.stdout.strip().splitlines()[-1] == MSG_BATCH.format(
        n=len(name_set), id=ASSIGNMENT, nouvelles=len(name_set), reprises=0, sortie=f"resultats/{ASSIGNMENT}",
        rapport=f"resultats/{ASSIGNMENT}/rapport.html", url=url)
    resultats = {n: read_result(output / f"{n}.json") for n in name_set}
    for n in HONEST:  # the same score as when graded alone
        single, _ = grade_cli(lot / "submitted" / n / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", ASSIGNMENT, tmp_path, cwd=lot)
        assert [t.score for t in resultats[n].tasks] == [t["score"] for t in single["tasks"]], n
    assert resultats["boucle_infinie_appel"].tasks[0].score == 0
    assert resultats["boucle_infinie_appel"].tasks[2].score == 4
    assert resultats["illisible"].score == 0 and resultats["illisible"].errors
    assert all(r.duration > 0 for r in resultats.values())

    # Formgrader's own view (nbgrader's API): every submission autograded, with the batch's score.
    views = {s["student"]: s for s in api_nbgrader(lot).get_submissions(ASSIGNMENT)}
    assert {n: (v["autograded"], v["score"], v["max_score"]) for n, v in views.items()} == {
        n: (True, resultats[n].score, 10.0) for n in name_set}

    # nbgrader's own export and feedback work after the batch alone.
    nbgrader("export", "--to", str(tmp_path / "notes.csv"), cwd=lot)
    with open(tmp_path / "notes.csv", newline="", encoding="utf-8") as f:
        lignes = {r["student_id"]: float(r["raw_score"]) for r in csv.DictReader(f) if r["assignment"] == ASSIGNMENT}
    assert lignes == {n: resultats[n].score for n in name_set}
    nbgrader("generate_feedback", ASSIGNMENT, "--log-level=ERROR", cwd=lot)
    assert sorted(p.parent.parent.name for p in (lot / "feedback").rglob("*.html")) == name_set

    avant = mtimes(output)
    proc = execute_cli("batch", "--assignment", ASSIGNMENT, "--quiet", cwd=lot)
    assert proc.returncode == 0 and mtimes(output) == avant  # nothing regraded

    nb = lot / "submitted" / "ko_sans_verrou" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    shutil.copy(lot / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", nb)  # a resubmission is graded again
    execute_cli("batch", "--assignment", ASSIGNMENT, "--quiet", cwd=lot)
    after = mtimes(output)
    assert [n for n in after if after[n] != avant[n]] == ["ko_sans_verrou.json"]
    assert read_result(output / "ko_sans_verrou.json").score == 10
    assert {s["student"]: s["score"] for s in api_nbgrader(lot).get_submissions(ASSIGNMENT)}["ko_sans_verrou"] == 10


def test_ctrl_c_stops_and_says_how_to_resume(lot: Path):
    """SIGINT while a hanging copy is graded: the command stops, says in French that a rerun resumes.

    The hanging copy is graded last (its student folder sorts last) with a long limit, and SIGINT is sent once
    the worker has started it and at least two results are saved: the batch is then certainly still running,
    whatever the machine's load (the test used to race the end of the batch)."""
    output = lot / "resultats" / ASSIGNMENT
    submitted = lot / "submitted"
    (submitted / "boucle_infinie_appel").rename(submitted / "zz_boucle_infinie_appel")
    rubric = lot / "assignments" / ASSIGNMENT / "bareme.toml"
    short = rubric.read_text(encoding="utf-8")
    rubric.write_text(short.replace("delai_tache = 4", "delai_tache = 60"), encoding="utf-8")
    log = lot / "resultats" / "autograder.log"
    proc = subprocess.Popen([sys.executable, "-m", "autograder.cli", "batch", "--assignment", ASSIGNMENT, "--jobs", "1",
                             "--quiet"], cwd=lot, env=environnement_nbgrader(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        limit = time.monotonic() + 120
        while time.monotonic() < limit and not (
                len(list(output.glob("*.json"))) >= 2
                and log.is_file() and log.read_text(encoding="utf-8").count(" debut ") >= 7):
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _, errors = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    facts = mtimes(output)
    assert proc.returncode == EXIT_INTERRUPTION, errors
    assert errors.strip() == MSG_INTERRUPTION.format(n=len(facts))
    assert 2 <= len(facts) < 7 and "zz_boucle_infinie_appel.json" not in facts
    rubric.write_text(short, encoding="utf-8")
    execute_cli("batch", "--assignment", ASSIGNMENT, "--quiet", cwd=lot)
    after = mtimes(output)
    assert len(after) == 7
    assert all(after[n] == facts[n] for n in facts)  # finished results were not regraded


def test_files_ignores_named(cours: Path):
    deposit = cours / "submitted" / "dupont" / ASSIGNMENT
    deposit.mkdir(parents=True)
    shutil.copy(cours / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", deposit / f"{ASSIGNMENT}.ipynb")
    shutil.copy(cours / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", deposit / f"{ASSIGNMENT}-Copy1.ipynb")
    shutil.copy(cours / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", cours / "submitted" / "perdu.ipynb")
    proc = execute_cli("batch", "--assignment", ASSIGNMENT, "--quiet", cwd=cours)
    assert proc.returncode == 0, proc.stderr
    lignes = proc.stdout.splitlines()
    attendu = f"{ASSIGNMENT}.ipynb"
    assert MSG_IGNORE.format(chemin=f"submitted/dupont/{ASSIGNMENT}/{ASSIGNMENT}-Copy1.ipynb",
                             raison=IGNORE_NAME.format(attendu=attendu)) in lignes
    assert MSG_IGNORE.format(chemin="submitted/perdu.ipynb", raison=IGNORE_OUTSIDE_FOLDER.format(id=ASSIGNMENT)) in lignes
    assert sorted(p.stem for p in (cours / "resultats" / ASSIGNMENT).glob("*.json")) == ["dupont"]


def test_links_are_never_followed(cours: Path):
    """A linked deposit folder, a linked notebook and a linked extra file: named and skipped, graded 0, and
    never copied into autograded/ (from where nbgrader's feedback would hand the hidden grader out)."""
    submitted = cours / "submitted"
    honest = submitted / "dupont" / ASSIGNMENT
    honest.mkdir(parents=True)
    shutil.copy(cours / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", honest / f"{ASSIGNMENT}.ipynb")
    (honest / "notes.txt").symlink_to(cours / "assignments" / ASSIGNMENT / "test_02_verrous.py")
    (submitted / "martin").mkdir()
    (submitted / "martin" / ASSIGNMENT).symlink_to(honest)
    linked = submitted / "durand" / ASSIGNMENT
    linked.mkdir(parents=True)
    (linked / f"{ASSIGNMENT}.ipynb").symlink_to(cours / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    proc = execute_cli("batch", "--assignment", ASSIGNMENT, "--quiet", cwd=cours)
    assert proc.returncode == 0, proc.stderr
    assert MSG_IGNORE.format(chemin=f"submitted/martin/{ASSIGNMENT}", raison=IGNORE_SYMLINK) in proc.stdout.splitlines()
    assert sorted(p.stem for p in (cours / "resultats" / ASSIGNMENT).glob("*.json")) == ["dupont", "durand"]
    assert read_result(cours / "resultats" / ASSIGNMENT / "durand.json").score == 0
    assert not (cours / "autograded" / "dupont" / ASSIGNMENT / "notes.txt").exists()
    assert (cours / "autograded" / "dupont" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()


def test_folder_empty(cours: Path):
    (cours / "submitted").mkdir()
    proc = execute_cli("batch", "--assignment", ASSIGNMENT, "--quiet", cwd=cours)
    assert proc.returncode == EXIT_EMPTY
    assert proc.stderr.strip() == f"autograder : {MSG_EMPTY.format(id=ASSIGNMENT, dossier='submitted')}"
    assert not (cours / "gradebook.db").exists()


def test_command_by_its_path_without_venv_on_path(cours: Path):
    """`.venv/bin/autograder batch` on a fresh course, with a PATH that lacks the venv (nbgrader runs alembic)."""
    commande = Path(sys.executable).parent / "autograder"
    deposit = cours / "submitted" / "dupont" / ASSIGNMENT
    deposit.mkdir(parents=True)
    shutil.copy(cours / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", deposit / f"{ASSIGNMENT}.ipynb")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin")
                                  if not (Path(p) / "alembic").exists())
    proc = subprocess.run([str(commande), "batch", "--assignment", ASSIGNMENT, "--quiet"], cwd=cours, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    views = api_nbgrader(cours).get_submissions(ASSIGNMENT)
    assert [(v["student"], v["autograded"], v["score"]) for v in views] == [("dupont", True, 10.0)]


def test_helper_and_errors_in_french(cours: Path):
    for commande, under in parser()._subparsers._group_actions[0].choices.items():
        for action in under._actions:
            assert action.help, (commande, action.dest)  # every option is described
    helper = execute_cli("batch", "--help", cwd=cours)
    assert helper.returncode == 0
    assert helper.stdout.startswith(TRANSLATIONS["usage: "] + "autograder batch")
    assert TRANSLATIONS["show this help message and exit"] in helper.stdout
    for option in ("--assignment", "--jobs", "--quiet", "DOSSIER"):
        assert option in helper.stdout
    missing = execute_cli("batch", cwd=cours)
    assert missing.returncode == 2
    assert missing.stderr.splitlines()[-1] == "autograder batch : erreur : " + \
        TRANSLATIONS["the following arguments are required: %s"] % "--assignment"
    jobs = execute_cli("batch", "--assignment", ASSIGNMENT, "--jobs", "zéro", cwd=cours)
    assert jobs.stderr.splitlines()[-1] == ("autograder batch : erreur : argument --jobs : "
                                            "nombre entier attendu : 'zéro'")
    unknown = execute_cli("corriger", cwd=cours)
    assert "choix invalide : 'corriger'" in unknown.stderr.splitlines()[-1]


def test_folder_of_notebooks(cours: Path):
    folder = cours / "depot"
    folder.mkdir()
    shutil.copy(cours / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", folder / "dupont.ipynb")
    shutil.copy(cours / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", folder / "durand.ipynb")
    proc = execute_cli("batch", str(folder), "--assignment", ASSIGNMENT, "--quiet", cwd=cours)
    assert proc.returncode == 0, proc.stderr
    notes = {f.stem: read_result(f).score for f in (cours / "resultats" / ASSIGNMENT).glob("*.json")}
    assert notes == {"dupont": 10, "durand": 0}


def test_no_target_make_removed_copies_or_notes():
    texte = subprocess.run(["make", "-n", "clean"], cwd=ROOT, capture_output=True, text=True).stdout
    for precious in ("submitted", "gradebook.db", "autograded", "feedback", "exports", "resultats"):
        assert precious not in texte


def test_demo_in_its_own_copy_of_course(cours: Path):
    """`autograder demo` grades its samples in a scratch course: the real course's gradebook never sees them."""
    from autograder.demo import MSG_DEMO

    proc = execute_cli("demo", "--jobs", "2", cwd=cours, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for precious in ("gradebook.db", "submitted", "resultats", "autograded"):
        assert not (cours / precious).exists(), precious
    template = re.escape(MSG_DEMO).replace(re.escape("{n}"), r"(\d+)").replace(re.escape("{dossier}"), r"(\S+)")
    n, submission_copy, _ = re.fullmatch(template, proc.stdout.strip().splitlines()[-1]).groups()
    submission_copy = Path(submission_copy)
    try:
        examples = sorted((ROOT / "assignments").glob("*/exemples/*.py"))
        assert int(n) == len(examples)
        views = {(d, s["student"]) for d in ("01-bases", "02-verrous", "03-file-attente", "04-gil")
                for s in api_nbgrader(submission_copy).get_submissions(d) if s["autograded"]}
        assert views == {(f.parent.parent.name, f.stem) for f in examples}
        assert all((submission_copy / "resultats" / f.parent.parent.name / "rapport.html").is_file() for f in examples)
    finally:
        shutil.rmtree(submission_copy)
