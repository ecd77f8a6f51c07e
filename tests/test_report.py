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

from autograder.assignment import charger_devoir
from autograder.cli import MSG_RAPPORT
from autograder.report import NOM_CSV, NOM_HTML, entete
from autograder.report_data import INCIDENTS
from autograder.samples import ecrire_variante

from conftest import CATALOGUE, RACINE, executer_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


DEVOIR = "02-verrous"
CHROMIUM = shutil.which("chromium")
BLEU_NOTES, ROUGE_ECHECS = (0x3B, 0x6E, 0xA8), (0xB4, 0x23, 0x18)  # report.graphiques' bar colours


@pytest.fixture
def classe(cours: Path) -> Path:
    bareme = cours / "assignments" / DEVOIR / "bareme.toml"
    bareme.write_text(re.sub(r"delai_tache = \d+", "delai_tache = 4", bareme.read_text()), encoding="utf-8")
    d = charger_devoir(cours, DEVOIR)
    for nom in ("ok_rlock", "ko_sans_verrou", "ko_compte_verifier_puis_agir"):
        ecrire_variante(d, CATALOGUE / DEVOIR / f"{nom}.py", cours / "submitted" / nom / DEVOIR / f"{DEVOIR}.ipynb")
    for nom in ("boucle_infinie_appel", "exit_reel_appel"):  # `while True` in the graded call; os._exit
        ecrire_variante(d, RACINE / "tests" / "hostiles" / f"{nom}.py",
                        cours / "submitted" / nom / DEVOIR / f"{DEVOIR}.ipynb")
    proc = executer_cli("batch", "--assignment", DEVOIR, "--jobs", "2", "--quiet", cwd=cours)
    assert proc.returncode == 0, proc.stderr
    return cours


class Liens(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.liens: list[str] = []
        self.svg = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a":
            self.liens.append(dict(attrs)["href"])
        self.svg += tag == "svg"


def test_rapport_egal_au_gradebook(classe: Path):
    dossier = classe / "resultats" / DEVOIR
    with open(dossier / NOM_CSV, newline="", encoding="utf-8") as f:
        lignes = list(csv.reader(f))
    d = charger_devoir(classe, DEVOIR)
    assert lignes[0] == entete(d)
    with Gradebook(f"sqlite:///{classe / 'gradebook.db'}") as gb:
        attendu = {}
        for sub in gb.assignment_submissions(DEVOIR):
            taches = [f"{gb.find_grade(f'test_{t.id}', DEVOIR, DEVOIR, sub.student.id).score:g}" for t in d.taches]
            attendu[sub.student.id] = [f"{sub.score:g}", f"{sub.max_score:g}", *taches]
    assert {l[0]: l[1:3 + len(d.taches)] for l in lignes[1:]} == attendu
    incidents = {l[0]: l[-2] for l in lignes[1:]}
    assert incidents == {"boucle_infinie_appel": "delai", "exit_reel_appel": "plantage", "ok_rlock": "",
                         "ko_sans_verrou": "", "ko_compte_verifier_puis_agir": ""}
    assert all(float(l[-3]) > 0 for l in lignes[1:])  # time per submission, from each result JSON

    html = (dossier / NOM_HTML).read_text(encoding="utf-8")
    analyse = Liens()
    analyse.feed(html)
    assert analyse.svg == 3  # score distribution, time per submission, failure rate per check
    assert "boucle_infinie_appel.html" in analyse.liens and "exit_reel_appel.html" in analyse.liens
    assert all((dossier / lien).is_file() for lien in analyse.liens)  # links reach the feedback pages
    assert INCIDENTS["delai"] in html and INCIDENTS["plantage"] in html
    assert "<script" not in html and "http" not in html.split("<svg")[0]  # offline: nothing to fetch


def test_commande_rapport(classe: Path):
    (classe / "resultats" / DEVOIR / NOM_HTML).unlink()
    proc = executer_cli("rapport", "--assignment", DEVOIR, cwd=classe)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == MSG_RAPPORT.format(id=DEVOIR, html=f"resultats/{DEVOIR}/{NOM_HTML}",
                                                     csv=f"resultats/{DEVOIR}/{NOM_CSV}", n=5)
    assert (classe / "resultats" / DEVOIR / NOM_HTML).is_file()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is installed by the Makefile's setup")
def test_rapport_rendu_par_chromium(classe: Path, tmp_path: Path):
    from PIL import Image

    png = tmp_path / "rapport.png"
    page = classe / "resultats" / DEVOIR / NOM_HTML
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           f"--user-data-dir={tmp_path / 'profil'}", "--window-size=1200,1600",
                           f"--screenshot={png}", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert png.is_file(), proc.stderr
    with Image.open(png) as im:
        couleurs = {c[:3]: n for n, c in im.convert("RGB").getcolors(maxcolors=1 << 20)}
    # The bars themselves are drawn: hundreds of pixels of each plot's colour, not just a legend.
    assert couleurs.get(BLEU_NOTES, 0) > 200 and couleurs.get(ROUGE_ECHECS, 0) > 200
