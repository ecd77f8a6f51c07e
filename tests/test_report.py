"""The class report: written by every batch and by `autograder rapport`, numbers equal to the gradebook's,
plots rendered by a real browser, hung and crashed submissions listed with links to their feedback."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.assignment import load_assignment
from autograder.cli import MSG_REPORT
from autograder.report import CSV_NAME, HTML_NAME, header
from autograder.report_data import INCIDENTS
from autograder.samples import write_variant

from conftest import CATALOGUE, ROOT, execute_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


ASSIGNMENT = "02-verrous"
CHROMIUM = shutil.which("chromium")
BLUE_NOTES, RED_FAILURES = (0x3B, 0x6E, 0xA8), (0xB4, 0x23, 0x18)  # report.graphiques' bar colours


@pytest.fixture
def klass(cours: Path) -> Path:
    rubric = cours / "assignments" / ASSIGNMENT / "bareme.toml"
    rubric.write_text(re.sub(r"delai_tache = \d+", "delai_tache = 4", rubric.read_text()), encoding="utf-8")
    d = load_assignment(cours, ASSIGNMENT)
    for nom in ("ok_rlock", "ko_sans_verrou", "ko_compte_verifier_puis_agir"):
        write_variant(d, CATALOGUE / ASSIGNMENT / f"{nom}.py", cours / "submitted" / nom / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    for nom in ("boucle_infinie_appel", "exit_reel_appel"):  # `while True` in the graded call; os._exit
        write_variant(d, ROOT / "tests" / "hostiles" / f"{nom}.py",
                        cours / "submitted" / nom / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    proc = execute_cli("batch", "--assignment", ASSIGNMENT, "--jobs", "2", "--quiet", cwd=cours)
    assert proc.returncode == 0, proc.stderr
    return cours


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.svg = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a":
            self.links.append(dict(attrs)["href"])
        self.svg += tag == "svg"


def test_report_equal_at_gradebook(klass: Path):
    folder = klass / "resultats" / ASSIGNMENT
    with open(folder / CSV_NAME, newline="", encoding="utf-8") as f:
        lignes = list(csv.reader(f))
    d = load_assignment(klass, ASSIGNMENT)
    assert lignes[0] == header(d)
    with Gradebook(f"sqlite:///{klass / 'gradebook.db'}") as gb:
        attendu = {}
        for sub in gb.assignment_submissions(ASSIGNMENT):
            taches = [f"{gb.find_grade(f'test_{t.id}', ASSIGNMENT, ASSIGNMENT, sub.student.id).score:g}" for t in d.taches]
            attendu[sub.student.id] = [f"{sub.score:g}", f"{sub.max_score:g}", *taches]
    assert {l[0]: l[1:3 + len(d.taches)] for l in lignes[1:]} == attendu
    incidents = {l[0]: l[-2] for l in lignes[1:]}
    assert incidents == {"boucle_infinie_appel": "delai", "exit_reel_appel": "plantage", "ok_rlock": "",
                         "ko_sans_verrou": "", "ko_compte_verifier_puis_agir": ""}
    assert all(float(l[-3]) > 0 for l in lignes[1:])  # time per submission, from each result JSON

    html = (folder / HTML_NAME).read_text(encoding="utf-8")
    analysis = Links()
    analysis.feed(html)
    assert analysis.svg == 3  # score distribution, time per submission, failure rate per check
    assert "boucle_infinie_appel.html" in analysis.links and "exit_reel_appel.html" in analysis.links
    assert all((folder / link).is_file() for link in analysis.links)  # links reach the feedback pages
    assert INCIDENTS["delai"] in html and INCIDENTS["plantage"] in html
    assert "<script" not in html and "http" not in html.split("<svg")[0]  # offline: nothing to fetch


def test_command_report(klass: Path):
    (klass / "resultats" / ASSIGNMENT / HTML_NAME).unlink()
    proc = execute_cli("rapport", "--assignment", ASSIGNMENT, cwd=klass)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == MSG_REPORT.format(id=ASSIGNMENT, html=f"resultats/{ASSIGNMENT}/{HTML_NAME}",
                                                     csv=f"resultats/{ASSIGNMENT}/{CSV_NAME}", n=5)
    assert (klass / "resultats" / ASSIGNMENT / HTML_NAME).is_file()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is installed by the Makefile's setup")
def test_report_rendered_by_chromium(klass: Path, tmp_path: Path):
    from PIL import Image

    png = tmp_path / "rapport.png"
    page = klass / "resultats" / ASSIGNMENT / HTML_NAME
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           f"--user-data-dir={tmp_path / 'profil'}", "--window-size=1200,1600",
                           f"--screenshot={png}", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert png.is_file(), proc.stderr
    with Image.open(png) as im:
        colours = {c[:3]: n for n, c in im.convert("RGB").getcolors(maxcolors=1 << 20)}
    # The bars themselves are drawn: hundreds of pixels of each plot's colour, not just a legend.
    assert colours.get(BLUE_NOTES, 0) > 200 and colours.get(RED_FAILURES, 0) > 200
