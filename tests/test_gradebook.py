"""After `autograder batch` alone, formgrader sees what `nbgrader autograde` would leave: scores, the manual
grading queue, one maximum score everywhere; checked through nbgrader's API and a headless Chromium."""
from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.assignment import load_assignment
from autograder.results import read_result

from conftest import execute_cli, nbgrader
from test_batch import api_nbgrader

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


ASSIGNMENTS = ["01-bases", "02-verrous", "03-file-attente", "04-gil"]
ANSWER_GIL = "Les threads se recouvrent pendant les attentes d'entrées-sorties ; le GIL sérialise le calcul."
CHROMIUM = shutil.which("chromium")
# Bootstrap 3 label colours of formgrader's status column.
GREEN_GRADED, ORANGE_TO_AUTOGRADE = (0x5C, 0xB8, 0x5C), (0xF0, 0xAD, 0x4E)


def deposer(cours: Path, assignment: str, etudiant: str, nb: dict) -> None:
    dest = cours / "submitted" / etudiant / assignment
    dest.mkdir(parents=True, exist_ok=True)
    (dest / f"{assignment}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (dest / "timestamp.txt").write_text("2026-03-02 10:00:00.000000 UTC", encoding="utf-8")
    for f in (cours / "release" / assignment).glob("*.py"):
        shutil.copy(f, dest / f.name)


def class_copies(cours: Path) -> None:
    """For every assignment: the solution (04-gil: with a written answer) and the untouched release."""
    for assignment in ASSIGNMENTS:
        reference = json.loads((cours / "source" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
        for c in reference["cells"]:
            if c["metadata"].get("nbgrader", {}).get("grade_id") == "analyse_gil":
                c["source"] = ANSWER_GIL
        deposer(cours, assignment, "reference", reference)
        deposer(cours, assignment, "vierge", json.loads((cours / "release" / assignment / f"{assignment}.ipynb").read_text("utf-8")))


def gradebook_state(cours: Path, assignment: str) -> dict:
    """Everything formgrader reads about each submission: scores, flags, comments, maxima."""
    state = {}
    with Gradebook(f"sqlite:///{cours / 'gradebook.db'}") as gb:
        for sub in gb.assignment_submissions(assignment):
            notes = {g.name: (g.auto_score, g.manual_score, g.needs_manual_grade, g.max_score)
                     for nb in sub.notebooks for g in nb.grades}
            comment_list = {c.name: c.auto_comment for nb in sub.notebooks for c in nb.comments}
            state[sub.student.id] = (sub.score, sub.max_score, sub.needs_manual_grade, sub.timestamp, notes, comment_list)
    return state


@pytest.fixture
def klass(cours: Path) -> Path:
    class_copies(cours)
    for assignment in ASSIGNMENTS:
        proc = execute_cli("batch", "--assignment", assignment, "--jobs", "2", "--quiet", cwd=cours, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return cours


def test_formgrader_sees_each_batch(klass: Path, tmp_path: Path):
    api = api_nbgrader(klass)
    for assignment in ASSIGNMENTS:
        d = load_assignment(klass, assignment)
        resultats = {f.stem: read_result(f) for f in (klass / "resultats" / assignment).glob("*.json")}
        views = {s["student"]: s for s in api.get_submissions(assignment)}
        assert {n: (v["autograded"], v["score"], v["max_score"]) for n, v in views.items()} == {
            n: (True, r.score, r.max_score) for n, r in resultats.items()}, assignment
        # One maximum everywhere: the gradebook's (hand-graded points included) is autograder's.
        assert {r.max_score for r in resultats.values()} == {d.points_total}
    assert load_assignment(klass, "04-gil").points_total == 10

    # The manual grading queue: the written answer waits for the TA, the untouched cell does not.
    gil = {s["student"]: s for s in api.get_submissions("04-gil")}
    assert gil["reference"]["needs_manual_grade"] and not gil["vierge"]["needs_manual_grade"]
    with Gradebook(f"sqlite:///{klass / 'gradebook.db'}") as gb:
        analysis = gb.find_grade("analyse_gil", "04-gil", "04-gil", "reference")
        assert (analysis.auto_score, analysis.needs_manual_grade, analysis.max_score) == (None, True, 2.0)
        empty = gb.find_grade("analyse_gil", "04-gil", "04-gil", "vierge")
        assert (empty.auto_score, empty.needs_manual_grade) == (0.0, False)
    cellules = api.get_notebook_submissions("04-gil", "04-gil")
    assert {c["student"]: c["needs_manual_grade"] for c in cellules} == {"reference": True, "vierge": False}

    nbgrader("generate_feedback", "04-gil", "--log-level=ERROR", cwd=klass)
    assert sorted(p.parent.parent.name for p in (klass / "feedback").rglob("04-gil.html")) == ["reference", "vierge"]
    nbgrader("export", "--to", str(tmp_path / "notes.csv"), cwd=klass)
    assert (tmp_path / "notes.csv").read_text(encoding="utf-8").count("\n") == 1 + 2 * len(ASSIGNMENTS)


def test_same_gradebook_that_nbgrader_autograde(cours: Path, tmp_path: Path):
    """04-gil through `autograder batch` and through `nbgrader autograde`: the same gradebook rows."""
    class_copies(cours)
    other = tmp_path / "autre"
    shutil.copytree(cours, other)
    assert execute_cli("batch", "--assignment", "04-gil", "--quiet", cwd=cours, timeout=600).returncode == 0
    nbgrader("generate_assignment", "04-gil", "--force", "--log-level=ERROR", cwd=other)
    nbgrader("autograde", "04-gil", "--log-level=ERROR", cwd=other)
    assert gradebook_state(cours, "04-gil") == gradebook_state(other, "04-gil")
    ag = api_nbgrader(other).get_submissions("04-gil")
    assert [(s["student"], s["autograded"]) for s in ag] == [("reference", True), ("vierge", True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           f"--user-data-dir={profile}", "--window-size=1200,800", "--virtual-time-budget=10000", *args],
                          capture_output=True, text=True, timeout=120)


def colours(png: Path) -> set[tuple[int, int, int]]:
    from PIL import Image

    with Image.open(png) as im:
        return {c[:3] for _, c in im.convert("RGB").getcolors(maxcolors=1 << 20)}


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is installed by the Makefile's setup")
def test_capture_of_formgrader(klass: Path, tmp_path: Path):
    port = free_port()
    lti_server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "server", "--allow-root", "--no-browser", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=", "--ServerApp.password=",
         f"--ServerApp.root_dir={klass}", "--ServerApp.jpserver_extensions={'nbgrader': True}"],
        cwd=klass, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/formgrader/manage_submissions/02-verrous"
        limit = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/formgrader/api/submissions/02-verrous", timeout=2)
                break
            except OSError:
                assert time.monotonic() < limit, "formgrader did not start"
                time.sleep(0.3)
        png = tmp_path / "formgrader.png"
        capture = chromium(f"--screenshot={png}", url, profile=tmp_path / "profil")
        assert png.is_file(), capture.stderr
        views = colours(png)
        assert GREEN_GRADED in views and ORANGE_TO_AUTOGRADE not in views
        dom = chromium("--dump-dom", url, profile=tmp_path / "profil2").stdout
        assert "needs autograding" not in dom
        resultats = {f.stem: read_result(f) for f in (klass / "resultats" / "02-verrous").glob("*.json")}
        for r in resultats.values():
            assert f"{r.score:g} / {r.max_score:g}" in dom
    finally:
        lti_server.terminate()
        lti_server.wait(timeout=30)


def test_compiled_schemas_raise_what_jsonschema_raises():
    """The record's cached validator gives nbgrader the very error jsonschema.validate gives."""
    import jsonschema
    from nbgrader.nbgraderformat.v3 import MetadataValidatorV3

    from autograder.gradebook import _SchemasCompiles

    schema = MetadataValidatorV3().schema
    fast = _SchemasCompiles(jsonschema)
    good = {"grade": True, "solution": False, "locked": True, "grade_id": "t1", "points": 2.0,
              "schema_version": 3}
    assert fast.validate(good, schema) is None
    for bad in ({**good, "points": "deux"}, {**good, "grade_id": 3}, {"grade": True}):
        with pytest.raises(jsonschema.ValidationError) as attendu:
            jsonschema.validate(bad, schema)
        with pytest.raises(jsonschema.ValidationError) as obtained:
            fast.validate(bad, schema)
        assert str(obtained.value) == str(attendu.value)
    assert len(fast._validators) == 1
