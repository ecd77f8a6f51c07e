"""nbgrader's own pipeline, for real: autograde gives the engine's scores; feedback hides hidden tests."""
from __future__ import annotations

import json
import shutil
from html import unescape
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.assignment import charger_devoir
from autograder.probes.espace import MSG_FICHIER_INTERDIT
from autograder.samples import ecrire_variante

from conftest import CATALOGUE, nbgrader, noter_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


DEVOIRS = ["01-bases", "02-verrous", "03-file-attente", "04-gil"]
VARIANTES = {"02-verrous": ["ko_sans_verrou", "ko_compte_verifier_puis_agir"],
             "03-file-attente": ["ko_une_sentinelle"], "01-bases": ["ko_lancer_serie"]}


def notes_nbgrader(cours: Path, devoir: str, etudiant: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{cours / 'gradebook.db'}") as gb:
        sub = gb.find_submission(devoir, etudiant)
        return {g.name.removeprefix("test_"): g.score for nb in sub.notebooks for g in nb.grades
                if g.name.startswith("test_")}


@pytest.mark.parametrize("devoir", DEVOIRS)
def test_autograde_complet_vide_et_variantes(cours, devoir, tmp_path):
    nbgrader("generate_assignment", devoir, "--force", "--log-level=ERROR", cwd=cours)
    copies = {"reference": cours / "source" / devoir / f"{devoir}.ipynb",
              "vierge": cours / "release" / devoir / f"{devoir}.ipynb"}
    d = charger_devoir(cours, devoir)
    for v in VARIANTES.get(devoir, []):
        copies[v.replace("_", "-")] = ecrire_variante(d, CATALOGUE / devoir / f"{v}.py", tmp_path / v / f"{devoir}.ipynb")
    for etudiant, nb in copies.items():
        dest = cours / "submitted" / etudiant / devoir
        dest.mkdir(parents=True)
        shutil.copy(nb, dest / f"{devoir}.ipynb")
        if devoir == "04-gil":
            shutil.copy(cours / "release" / devoir / "fonctions_calcul.py", dest)
    nbgrader("autograde", devoir, "--force", "--log-level=ERROR", cwd=cours)
    for etudiant in copies:
        notes = notes_nbgrader(cours, devoir, etudiant)
        moteur, _ = noter_cli(cours / "submitted" / etudiant / devoir / f"{devoir}.ipynb", devoir, tmp_path, cwd=cours)
        assert notes == {t["id"]: t["score"] for t in moteur["tasks"]}, etudiant
        if etudiant == "reference":
            assert notes == {t.id: t.points for t in d.taches}
        if etudiant == "vierge":
            assert set(notes.values()) == {0.0}
    nbgrader("generate_feedback", devoir, "--force", "--log-level=ERROR", cwd=cours)
    for f in (cours / "feedback").rglob("*.html"):
        html = f.read_text(encoding="utf-8")
        assert "HIDDEN TESTS" not in html and "nbgrader_bridge" not in html and "noter(" not in html, f
    assert list((cours / "feedback").rglob("*.html"))


PIRATE = '''# %% incrementer
import threading
compteur = 0
verrou = threading.Lock()
open({marque!r}, "w").write("le code de l'étudiant a tourné dans le noyau de nbgrader")
import autograder.nbgrader_bridge as pont
pont.noter = lambda *a, **k: 4.0  # in a kernel, the test cell would now get full marks

def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
'''


def test_autograde_ne_fait_pas_tourner_le_code_etudiant_dans_un_noyau(cours, tmp_path):
    """A cell that patches the bridge and writes a file: under nbgrader, no effect and no point."""
    devoir = "02-verrous"
    marque = tmp_path / "pirate.txt"
    variante = tmp_path / "pirate.py"
    variante.write_text(PIRATE.format(marque=str(marque)), encoding="utf-8")
    nbgrader("generate_assignment", devoir, "--force", "--log-level=ERROR", cwd=cours)
    dest = cours / "submitted" / "pirate" / devoir
    ecrire_variante(charger_devoir(cours, devoir), variante, dest / f"{devoir}.ipynb")
    nbgrader("autograde", devoir, "--force", "--log-level=ERROR", cwd=cours)
    notes = notes_nbgrader(cours, devoir, "pirate")
    assert notes["incrementer"] == 0.0, notes
    assert notes["compter_en_parallele"] == 2.0 and notes["CompteBancaire"] == 4.0, notes  # untouched tasks
    assert not marque.exists()
    nbgrader("generate_feedback", devoir, "--force", "--log-level=ERROR", cwd=cours)
    html = next((cours / "feedback" / "pirate").rglob("*.html")).read_text(encoding="utf-8")
    assert MSG_FICHIER_INTERDIT in unescape(html)  # the French reason reaches the student


def test_cellules_de_test_supprimees_ou_modifiees(cours, tmp_path):
    """Deleted or edited locked test cells: nbgrader's grades equal the engine's (source's tests, always)."""
    devoir = "02-verrous"
    nbgrader("generate_assignment", devoir, "--force", "--log-level=ERROR", cwd=cours)
    source = json.loads((cours / "source" / devoir / f"{devoir}.ipynb").read_text(encoding="utf-8"))
    gid = lambda c: c["metadata"].get("nbgrader", {}).get("grade_id")  # noqa: E731
    supprime = {**source, "cells": [c for c in source["cells"] if gid(c) != "test_incrementer"]}
    modifie = json.loads(json.dumps(source))
    for c in modifie["cells"]:
        if gid(c) == "test_CompteBancaire":
            c["source"] = "4  # toujours juste"
        if gid(c) == "CompteBancaire":
            c["source"] = "raise NotImplementedError()"
    for etudiant, nb in {"supprime": supprime, "modifie": modifie}.items():
        dest = cours / "submitted" / etudiant / devoir
        dest.mkdir(parents=True)
        (dest / f"{devoir}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    nbgrader("autograde", devoir, "--force", "--log-level=ERROR", cwd=cours)
    for etudiant, attendu in {"supprime": 4.0, "modifie": 0.0}.items():
        notes = notes_nbgrader(cours, devoir, etudiant)
        moteur, _ = noter_cli(cours / "submitted" / etudiant / devoir / f"{devoir}.ipynb", devoir, tmp_path, cwd=cours)
        assert notes == {t["id"]: t["score"] for t in moteur["tasks"]}, etudiant
        assert notes["incrementer" if etudiant == "supprime" else "CompteBancaire"] == attendu
