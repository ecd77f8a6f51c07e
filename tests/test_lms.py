"""From an LMS download to an LMS gradebook: Canvas and Moodle zips in, Canvas/Moodle/CSV files out."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from autograder.lms.collect import MSG_CHOICE, MSG_UNKNOWN, MSG_NOT_NOTEBOOK
from autograder.lms.export import CANVAS_HEADER, MOODLE_STRINGS, moodle_header
from autograder.results import read_result

from conftest import execute_cli, nbgrader

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


ASSIGNMENT = "02-verrous"


@pytest.fixture
def notebooks(cours: Path) -> dict[str, bytes]:
    return {"juste": (cours / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes(),
            "vierge": (cours / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()}


def make_zip(path: Path, entries: list[tuple[str, bytes, tuple]]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for nom, content, date in entries:
            z.writestr(zipfile.ZipInfo(nom, date_time=date), content)
    return path


def test_canvas_round_trip(cours: Path, notebooks, tmp_path: Path):
    archive = make_zip(tmp_path / "canvas.zip", [
        ("dupontmarie_12345_67890_02-verrous.ipynb", notebooks["juste"], (2026, 3, 1, 10, 0, 0)),
        ("lefèvrechloé_LATE_23456_67891_02-verrous.ipynb", notebooks["vierge"], (2026, 3, 2, 10, 0, 0)),
        ("martinélodie_34567_67892_02-verrous.ipynb", notebooks["vierge"], (2026, 3, 1, 9, 0, 0)),
        ("martinélodie_34567_67950_02-verrous-1.ipynb", notebooks["juste"], (2026, 3, 1, 11, 0, 0)),
        ("consignes du prof.pdf", b"%PDF", (2026, 3, 1, 9, 0, 0)),
        ("sans_identifiant.ipynb", notebooks["juste"], (2026, 3, 1, 9, 0, 0)),
    ])
    proc = execute_cli("collect", str(archive), "--assignment", ASSIGNMENT, "--lms", "canvas", cwd=cours)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (cours / "submitted").iterdir() if p.is_dir()) == ["12345", "23456", "34567"]
    assert (cours / "submitted" / "34567" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes() == notebooks["juste"]
    lignes = proc.stdout.splitlines()
    assert MSG_CHOICE.format(etudiant="34567", n=2, garde="martinélodie_34567_67950_02-verrous-1.ipynb",
                            ecartes="martinélodie_34567_67892_02-verrous.ipynb") in lignes, lignes
    assert MSG_NOT_NOTEBOOK.format(nom="consignes du prof.pdf") in lignes, lignes
    assert MSG_UNKNOWN.format(lms="canvas", nom="sans_identifiant.ipynb") in lignes, lignes
    ids = json.loads((cours / "submitted" / "identites.json").read_text(encoding="utf-8"))
    assert ids["23456"] == {"nom": "lefèvrechloé", "lms": "canvas", "retards": {ASSIGNMENT: True}}

    assert execute_cli("batch", "--assignment", ASSIGNMENT, "--quiet", cwd=cours).returncode == 0
    output = tmp_path / "canvas.csv"
    proc = execute_cli("export", "--assignment", ASSIGNMENT, "--to", "canvas", "--output", str(output), cwd=cours)
    assert proc.returncode == 0, proc.stderr
    with open(output, newline="", encoding="utf-8") as f:
        lignes = list(csv.reader(f))
    assert lignes[0] == CANVAS_HEADER + ["Verrous et état partagé sans course (02-verrous)"]
    assert lignes[1][0].strip() == "Points Possible" and lignes[1][5] == "10"
    assert {l[1]: (l[0], l[5]) for l in lignes[2:]} == {
        "12345": ("dupontmarie", "10"), "23456": ("lefèvrechloé", "0"), "34567": ("martinélodie", "10")}


def import_as_moodle(path: Path, langue: str) -> dict[str, tuple[str, str]]:
    """What Moodle's offline importer (importgradeslib.php) reads: the columns whose header equals its language
    strings, the participant id after get_string('hiddenuser'); user id -> (grade, last modified)."""
    t = MOODLE_STRINGS[langue]
    with open(path, newline="", encoding="utf-8") as f:
        lignes = list(csv.reader(f))
    header = lignes[0]
    i_id, i_note, i_date = (header.index(t["recordid"]), header.index(t["grade"]), header.index(t["lastmodifiedgrade"]))
    return {l[i_id][len(t["hiddenuser"]):]: (l[i_note], l[i_date]) for l in lignes[1:]}


def strtotime(texts: list[str]) -> list[int | bool]:
    """PHP's own strtotime on each text (the function Moodle's importer calls)."""
    script = "foreach (json_decode(stream_get_contents(STDIN)) as $t) { var_export(strtotime($t)); echo \"\\n\"; }"
    proc = subprocess.run(["php", "-r", script], input=json.dumps(texts), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [False if x == "false" else int(x) for x in proc.stdout.split()]


def test_moodle_round_trip(cours: Path, notebooks, tmp_path: Path):
    archive = make_zip(tmp_path / "moodle.zip", [
        ("Élodie Martin_101_assignsubmission_file_/02-verrous.ipynb", notebooks["juste"], (2026, 3, 1, 10, 0, 0)),
        ("Jean Dupont_102_assignsubmission_file_Copie de 02-verrous.ipynb", notebooks["juste"], (2026, 3, 1, 9, 0, 0)),
        ("Jean Dupont_102_assignsubmission_file_02-verrous (2).ipynb", notebooks["vierge"], (2026, 3, 1, 12, 0, 0)),
    ])
    proc = execute_cli("collect", str(archive), "--assignment", ASSIGNMENT, cwd=cours)  # LMS guessed from names
    assert proc.returncode == 0, proc.stderr
    assert MSG_CHOICE.format(etudiant="102", n=2, garde="Jean Dupont_102_assignsubmission_file_02-verrous (2).ipynb",
                            ecartes="Jean Dupont_102_assignsubmission_file_Copie de 02-verrous.ipynb"
                            ) in proc.stdout.splitlines(), proc.stdout
    assert execute_cli("batch", "--assignment", ASSIGNMENT, "--quiet", cwd=cours).returncode == 0
    output = tmp_path / "moodle.csv"
    assert execute_cli("export", "--assignment", ASSIGNMENT, "--to", "moodle", "--output", str(output), cwd=cours).returncode == 0
    with open(output, newline="", encoding="utf-8") as f:
        lignes = list(csv.DictReader(f))
    fr = MOODLE_STRINGS["fr"]
    assert list(lignes[0].keys()) == moodle_header("fr")  # a French site by default
    by_id = {l[fr["recordid"]]: l for l in lignes}
    assert by_id["Participant101"][fr["grade"]] == "10.00" and by_id["Participant101"][fr["fullname"]] == "Élodie Martin"
    assert by_id["Participant102"][fr["grade"]] == "0.00" and by_id["Participant102"][fr["maxgrade"]] == "10.00"
    assert "À revoir" in by_id["Participant102"][fr["feedbackcomments"]]
    assert set(import_as_moodle(output, "fr")) == {"101", "102"}

    english = tmp_path / "moodle-en.csv"
    assert execute_cli("export", "--assignment", ASSIGNMENT, "--to", "moodle", "--langue", "en", "--output", str(english),
                        cwd=cours).returncode == 0
    read_items = import_as_moodle(english, "en")
    assert {k: v[0] for k, v in read_items.items()} == {"101": "10.00", "102": "0.00"}
    with open(english, newline="", encoding="utf-8") as f:
        assert next(csv.reader(f)) == moodle_header("en")
    if shutil.which("php"):
        dates = [v[1] for v in read_items.values()] + [v[1] for v in import_as_moodle(output, "fr").values()]
        read = strtotime(dates)
        assert read == [int(datetime.fromisoformat(d).timestamp()) for d in dates]

    csv_tasks = tmp_path / "taches.csv"
    assert execute_cli("export", "--assignment", ASSIGNMENT, "--to", "csv", "--output", str(csv_tasks), cwd=cours).returncode == 0
    with open(csv_tasks, newline="", encoding="utf-8") as f:
        lignes = list(csv.reader(f))
    assert lignes[0] == ["student", "incrementer", "compter_en_parallele", "CompteBancaire", "total", "max_score"]
    assert ["101", "4", "2", "4", "10", "10"] in lignes

    # The same writer through nbgrader's own export command and plugin point.
    via_nbgrader = tmp_path / "via-nbgrader.csv"
    nbgrader("export", "--exporter=autograder.lms.export.MoodleExportPlugin", f"--to={via_nbgrader}",
             f"--assignment=['{ASSIGNMENT}']", cwd=cours)
    with open(via_nbgrader, newline="", encoding="utf-8") as f:
        assert [l[fr["grade"]] for l in csv.DictReader(f)] == [l[fr["grade"]] for l in lines_moodle(output)]


def lines_moodle(f: Path) -> list[dict]:
    with open(f, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_zip_collect_of_nbgrader(cours: Path, notebooks):
    """nbgrader's own zip_collect with our collector: renamed to the release name, newest attempt only."""
    archives = cours / "downloaded" / ASSIGNMENT / "archive"
    archives.mkdir(parents=True)
    make_zip(archives / "canvas.zip", [
        ("dupontmarie_12345_67890_mon devoir.ipynb", notebooks["juste"], (2026, 3, 1, 10, 0, 0)),
        ("martinélodie_34567_67950_02-verrous-1.ipynb", notebooks["juste"], (2026, 3, 1, 9, 0, 0)),
        ("martinélodie_34567_67892_02-verrous.ipynb", notebooks["vierge"], (2026, 3, 1, 11, 0, 0)),
        ("sans_identifiant.ipynb", notebooks["vierge"], (2026, 3, 1, 9, 0, 0)),
    ])
    proc = nbgrader("zip_collect", ASSIGNMENT, "--ZipCollectApp.collector_plugin=autograder.lms.collect.CanvasCollector",
                    cwd=cours)
    submitted = cours / "submitted"
    assert sorted(p.name for p in submitted.iterdir()) == ["12345", "34567"]
    assert (submitted / "12345" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes() == notebooks["juste"]
    # Attachment 67950 is newer than 67892 whatever the zip dates say.
    assert (submitted / "34567" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes() == notebooks["juste"]
    choix = MSG_CHOICE.format(etudiant="34567", n=2, garde="martinélodie_34567_67950_02-verrous-1.ipynb",
                             ecartes="martinélodie_34567_67892_02-verrous.ipynb")
    assert any(line.endswith("] " + choix) for line in proc.stderr.splitlines()), proc.stderr
    assert "sans_identifiant.ipynb" in proc.stderr  # reported by nbgrader as skipped, not silently dropped
    assert execute_cli("batch", "--assignment", ASSIGNMENT, "--quiet", cwd=cours).returncode == 0
    resultats = {p.stem: read_result(p).score
                 for p in (cours / "resultats" / ASSIGNMENT).glob("*.json")}
    assert resultats == {"12345": 10.0, "34567": 10.0}


@pytest.mark.parametrize("path", ["Mallory Triche_123_assignsubmission_file_/Alice Victime_555_assignsubmission_file_/x.ipynb",
                                    "/tmp/extrait/Mallory Triche_123_assignsubmission_file_/Alice Victime_555_assignsubmission_file_/x.ipynb"])
def test_moodle_folder_nested_rest_to_its_author(path):
    """A file nested under a classmate's name inside one's own folder is credited to oneself, never to them."""
    from autograder.lms.collect import MoodleCollector
    assert MoodleCollector()._match(path)["student_id"] == "123"
