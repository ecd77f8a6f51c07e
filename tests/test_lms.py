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

from autograder.lms.collect import MSG_CHOIX, MSG_INCONNU, MSG_PAS_NOTEBOOK
from autograder.lms.export import CANVAS_ENTETE, MOODLE_CHAINES, moodle_entete
from autograder.results import read_result

from conftest import executer_cli, nbgrader

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


DEVOIR = "02-verrous"


@pytest.fixture
def notebooks(cours: Path) -> dict[str, bytes]:
    return {"juste": (cours / "source" / DEVOIR / f"{DEVOIR}.ipynb").read_bytes(),
            "vierge": (cours / "release" / DEVOIR / f"{DEVOIR}.ipynb").read_bytes()}


def zipper(chemin: Path, entrees: list[tuple[str, bytes, tuple]]) -> Path:
    with zipfile.ZipFile(chemin, "w") as z:
        for nom, contenu, date in entrees:
            z.writestr(zipfile.ZipInfo(nom, date_time=date), contenu)
    return chemin


def test_canvas_aller_retour(cours: Path, notebooks, tmp_path: Path):
    archive = zipper(tmp_path / "canvas.zip", [
        ("dupontmarie_12345_67890_02-verrous.ipynb", notebooks["juste"], (2026, 3, 1, 10, 0, 0)),
        ("lefèvrechloé_LATE_23456_67891_02-verrous.ipynb", notebooks["vierge"], (2026, 3, 2, 10, 0, 0)),
        ("martinélodie_34567_67892_02-verrous.ipynb", notebooks["vierge"], (2026, 3, 1, 9, 0, 0)),
        ("martinélodie_34567_67950_02-verrous-1.ipynb", notebooks["juste"], (2026, 3, 1, 11, 0, 0)),
        ("consignes du prof.pdf", b"%PDF", (2026, 3, 1, 9, 0, 0)),
        ("sans_identifiant.ipynb", notebooks["juste"], (2026, 3, 1, 9, 0, 0)),
    ])
    proc = executer_cli("collect", str(archive), "--assignment", DEVOIR, "--lms", "canvas", cwd=cours)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (cours / "submitted").iterdir() if p.is_dir()) == ["12345", "23456", "34567"]
    assert (cours / "submitted" / "34567" / DEVOIR / f"{DEVOIR}.ipynb").read_bytes() == notebooks["juste"]
    lignes = proc.stdout.splitlines()
    assert MSG_CHOIX.format(etudiant="34567", n=2, garde="martinélodie_34567_67950_02-verrous-1.ipynb",
                            ecartes="martinélodie_34567_67892_02-verrous.ipynb") in lignes, lignes
    assert MSG_PAS_NOTEBOOK.format(nom="consignes du prof.pdf") in lignes, lignes
    assert MSG_INCONNU.format(lms="canvas", nom="sans_identifiant.ipynb") in lignes, lignes
    ids = json.loads((cours / "submitted" / "identites.json").read_text(encoding="utf-8"))
    assert ids["23456"] == {"nom": "lefèvrechloé", "lms": "canvas", "retards": {DEVOIR: True}}

    assert executer_cli("batch", "--assignment", DEVOIR, "--quiet", cwd=cours).returncode == 0
    sortie = tmp_path / "canvas.csv"
    proc = executer_cli("export", "--assignment", DEVOIR, "--to", "canvas", "--output", str(sortie), cwd=cours)
    assert proc.returncode == 0, proc.stderr
    with open(sortie, newline="", encoding="utf-8") as f:
        lignes = list(csv.reader(f))
    assert lignes[0] == CANVAS_ENTETE + ["Verrous et état partagé sans course (02-verrous)"]
    assert lignes[1][0].strip() == "Points Possible" and lignes[1][5] == "10"
    assert {l[1]: (l[0], l[5]) for l in lignes[2:]} == {
        "12345": ("dupontmarie", "10"), "23456": ("lefèvrechloé", "0"), "34567": ("martinélodie", "10")}


def importer_comme_moodle(chemin: Path, langue: str) -> dict[str, tuple[str, str]]:
    """What Moodle's offline importer (importgradeslib.php) reads: the columns whose header equals its language
    strings, the participant id after get_string('hiddenuser'); user id -> (grade, last modified)."""
    t = MOODLE_CHAINES[langue]
    with open(chemin, newline="", encoding="utf-8") as f:
        lignes = list(csv.reader(f))
    entete = lignes[0]
    i_id, i_note, i_date = (entete.index(t["recordid"]), entete.index(t["grade"]), entete.index(t["lastmodifiedgrade"]))
    return {l[i_id][len(t["hiddenuser"]):]: (l[i_note], l[i_date]) for l in lignes[1:]}


def strtotime(textes: list[str]) -> list[int | bool]:
    """PHP's own strtotime on each text (the function Moodle's importer calls)."""
    script = "foreach (json_decode(stream_get_contents(STDIN)) as $t) { var_export(strtotime($t)); echo \"\\n\"; }"
    proc = subprocess.run(["php", "-r", script], input=json.dumps(textes), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return [False if x == "false" else int(x) for x in proc.stdout.split()]


def test_moodle_aller_retour(cours: Path, notebooks, tmp_path: Path):
    archive = zipper(tmp_path / "moodle.zip", [
        ("Élodie Martin_101_assignsubmission_file_/02-verrous.ipynb", notebooks["juste"], (2026, 3, 1, 10, 0, 0)),
        ("Jean Dupont_102_assignsubmission_file_Copie de 02-verrous.ipynb", notebooks["juste"], (2026, 3, 1, 9, 0, 0)),
        ("Jean Dupont_102_assignsubmission_file_02-verrous (2).ipynb", notebooks["vierge"], (2026, 3, 1, 12, 0, 0)),
    ])
    proc = executer_cli("collect", str(archive), "--assignment", DEVOIR, cwd=cours)  # LMS guessed from names
    assert proc.returncode == 0, proc.stderr
    assert MSG_CHOIX.format(etudiant="102", n=2, garde="Jean Dupont_102_assignsubmission_file_02-verrous (2).ipynb",
                            ecartes="Jean Dupont_102_assignsubmission_file_Copie de 02-verrous.ipynb"
                            ) in proc.stdout.splitlines(), proc.stdout
    assert executer_cli("batch", "--assignment", DEVOIR, "--quiet", cwd=cours).returncode == 0
    sortie = tmp_path / "moodle.csv"
    assert executer_cli("export", "--assignment", DEVOIR, "--to", "moodle", "--output", str(sortie), cwd=cours).returncode == 0
    with open(sortie, newline="", encoding="utf-8") as f:
        lignes = list(csv.DictReader(f))
    fr = MOODLE_CHAINES["fr"]
    assert list(lignes[0].keys()) == moodle_entete("fr")  # a French site by default
    par_id = {l[fr["recordid"]]: l for l in lignes}
    assert par_id["Participant101"][fr["grade"]] == "10.00" and par_id["Participant101"][fr["fullname"]] == "Élodie Martin"
    assert par_id["Participant102"][fr["grade"]] == "0.00" and par_id["Participant102"][fr["maxgrade"]] == "10.00"
    assert "À revoir" in par_id["Participant102"][fr["feedbackcomments"]]
    assert set(importer_comme_moodle(sortie, "fr")) == {"101", "102"}

    anglais = tmp_path / "moodle-en.csv"
    assert executer_cli("export", "--assignment", DEVOIR, "--to", "moodle", "--langue", "en", "--output", str(anglais),
                        cwd=cours).returncode == 0
    lus = importer_comme_moodle(anglais, "en")
    assert {k: v[0] for k, v in lus.items()} == {"101": "10.00", "102": "0.00"}
    with open(anglais, newline="", encoding="utf-8") as f:
        assert next(csv.reader(f)) == moodle_entete("en")
    if shutil.which("php"):
        dates = [v[1] for v in lus.values()] + [v[1] for v in importer_comme_moodle(sortie, "fr").values()]
        lues = strtotime(dates)
        assert lues == [int(datetime.fromisoformat(d).timestamp()) for d in dates]

    csv_taches = tmp_path / "taches.csv"
    assert executer_cli("export", "--assignment", DEVOIR, "--to", "csv", "--output", str(csv_taches), cwd=cours).returncode == 0
    with open(csv_taches, newline="", encoding="utf-8") as f:
        lignes = list(csv.reader(f))
    assert lignes[0] == ["student", "incrementer", "compter_en_parallele", "CompteBancaire", "total", "max_score"]
    assert ["101", "4", "2", "4", "10", "10"] in lignes

    # The same writer through nbgrader's own export command and plugin point.
    via_nbgrader = tmp_path / "via-nbgrader.csv"
    nbgrader("export", "--exporter=autograder.lms.export.MoodleExportPlugin", f"--to={via_nbgrader}",
             f"--assignment=['{DEVOIR}']", cwd=cours)
    with open(via_nbgrader, newline="", encoding="utf-8") as f:
        assert [l[fr["grade"]] for l in csv.DictReader(f)] == [l[fr["grade"]] for l in lignes_moodle(sortie)]


def lignes_moodle(f: Path) -> list[dict]:
    with open(f, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_zip_collect_de_nbgrader(cours: Path, notebooks):
    """nbgrader's own zip_collect with our collector: renamed to the release name, newest attempt only."""
    archives = cours / "downloaded" / DEVOIR / "archive"
    archives.mkdir(parents=True)
    zipper(archives / "canvas.zip", [
        ("dupontmarie_12345_67890_mon devoir.ipynb", notebooks["juste"], (2026, 3, 1, 10, 0, 0)),
        ("martinélodie_34567_67950_02-verrous-1.ipynb", notebooks["juste"], (2026, 3, 1, 9, 0, 0)),
        ("martinélodie_34567_67892_02-verrous.ipynb", notebooks["vierge"], (2026, 3, 1, 11, 0, 0)),
        ("sans_identifiant.ipynb", notebooks["vierge"], (2026, 3, 1, 9, 0, 0)),
    ])
    proc = nbgrader("zip_collect", DEVOIR, "--ZipCollectApp.collector_plugin=autograder.lms.collect.CanvasCollector",
                    cwd=cours)
    soumis = cours / "submitted"
    assert sorted(p.name for p in soumis.iterdir()) == ["12345", "34567"]
    assert (soumis / "12345" / DEVOIR / f"{DEVOIR}.ipynb").read_bytes() == notebooks["juste"]
    # Attachment 67950 is newer than 67892 whatever the zip dates say.
    assert (soumis / "34567" / DEVOIR / f"{DEVOIR}.ipynb").read_bytes() == notebooks["juste"]
    choix = MSG_CHOIX.format(etudiant="34567", n=2, garde="martinélodie_34567_67950_02-verrous-1.ipynb",
                             ecartes="martinélodie_34567_67892_02-verrous.ipynb")
    assert any(ligne.endswith("] " + choix) for ligne in proc.stderr.splitlines()), proc.stderr
    assert "sans_identifiant.ipynb" in proc.stderr  # reported by nbgrader as skipped, not silently dropped
    assert executer_cli("batch", "--assignment", DEVOIR, "--quiet", cwd=cours).returncode == 0
    resultats = {p.stem: read_result(p).score
                 for p in (cours / "resultats" / DEVOIR).glob("*.json")}
    assert resultats == {"12345": 10.0, "34567": 10.0}


@pytest.mark.parametrize("chemin", ["Mallory Triche_123_assignsubmission_file_/Alice Victime_555_assignsubmission_file_/x.ipynb",
                                    "/tmp/extrait/Mallory Triche_123_assignsubmission_file_/Alice Victime_555_assignsubmission_file_/x.ipynb"])
def test_moodle_dossier_imbrique_reste_a_son_auteur(chemin):
    """A file nested under a classmate's name inside one's own folder is credited to oneself, never to them."""
    from autograder.lms.collect import MoodleCollector
    assert MoodleCollector()._match(chemin)["student_id"] == "123"
