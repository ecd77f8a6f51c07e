"""nbgrader's own pipeline, for real: autograde gives the engine's scores; feedback hides hidden tests."""
from __future__ import annotations

import json
import shutil
from html import unescape
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from autograder.assignment import load_assignment
from autograder.probes.space import MSG_FICHIER_INTERDIT
from autograder.samples import write_variant

from conftest import CATALOGUE, nbgrader, grade_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


ASSIGNMENTS = ["01-bases", "02-verrous", "03-file-attente", "04-gil"]
VARIANTS = {"02-verrous": ["ko_sans_verrou", "ko_compte_verifier_puis_agir"],
             "03-file-attente": ["ko_une_sentinelle"], "01-bases": ["ko_lancer_serie"]}


def notes_nbgrader(cours: Path, assignment: str, etudiant: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{cours / 'gradebook.db'}") as gb:
        sub = gb.find_submission(assignment, etudiant)
        return {g.name.removeprefix("test_"): g.score for nb in sub.notebooks for g in nb.grades
                if g.name.startswith("test_")}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_autograde_complete_empty_and_variants(cours, assignment, tmp_path):
    nbgrader("generate_assignment", assignment, "--force", "--log-level=ERROR", cwd=cours)
    copies = {"reference": cours / "source" / assignment / f"{assignment}.ipynb",
              "vierge": cours / "release" / assignment / f"{assignment}.ipynb"}
    d = load_assignment(cours, assignment)
    for v in VARIANTS.get(assignment, []):
        copies[v.replace("_", "-")] = write_variant(d, CATALOGUE / assignment / f"{v}.py", tmp_path / v / f"{assignment}.ipynb")
    for etudiant, nb in copies.items():
        dest = cours / "submitted" / etudiant / assignment
        dest.mkdir(parents=True)
        shutil.copy(nb, dest / f"{assignment}.ipynb")
        if assignment == "04-gil":
            shutil.copy(cours / "release" / assignment / "fonctions_calcul.py", dest)
    nbgrader("autograde", assignment, "--force", "--log-level=ERROR", cwd=cours)
    for etudiant in copies:
        notes = notes_nbgrader(cours, assignment, etudiant)
        engine, _ = grade_cli(cours / "submitted" / etudiant / assignment / f"{assignment}.ipynb", assignment, tmp_path, cwd=cours)
        assert notes == {t["id"]: t["score"] for t in engine["tasks"]}, etudiant
        if etudiant == "reference":
            assert notes == {t.id: t.points for t in d.taches}
        if etudiant == "vierge":
            assert set(notes.values()) == {0.0}
    nbgrader("generate_feedback", assignment, "--force", "--log-level=ERROR", cwd=cours)
    for f in (cours / "feedback").rglob("*.html"):
        html = f.read_text(encoding="utf-8")
        assert "HIDDEN TESTS" not in html and "nbgrader_bridge" not in html and "noter(" not in html, f
    assert list((cours / "feedback").rglob("*.html"))


ROGUE = '''# %% incrementer
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


def test_autograde_done_not_run_code_student_in_a_kernel(cours, tmp_path):
    """A cell that patches the bridge and writes a file: under nbgrader, no effect and no point."""
    assignment = "02-verrous"
    marker = tmp_path / "pirate.txt"
    variant = tmp_path / "pirate.py"
    variant.write_text(ROGUE.format(marque=str(marker)), encoding="utf-8")
    nbgrader("generate_assignment", assignment, "--force", "--log-level=ERROR", cwd=cours)
    dest = cours / "submitted" / "pirate" / assignment
    write_variant(load_assignment(cours, assignment), variant, dest / f"{assignment}.ipynb")
    nbgrader("autograde", assignment, "--force", "--log-level=ERROR", cwd=cours)
    notes = notes_nbgrader(cours, assignment, "pirate")
    assert notes["incrementer"] == 0.0, notes
    assert notes["compter_en_parallele"] == 2.0 and notes["CompteBancaire"] == 4.0, notes  # untouched tasks
    assert not marker.exists()
    nbgrader("generate_feedback", assignment, "--force", "--log-level=ERROR", cwd=cours)
    html = next((cours / "feedback" / "pirate").rglob("*.html")).read_text(encoding="utf-8")
    assert MSG_FICHIER_INTERDIT in unescape(html)  # the French reason reaches the student


def test_cells_of_test_removed_or_modified(cours, tmp_path):
    """Deleted or edited locked test cells: nbgrader's grades equal the engine's (source's tests, always)."""
    assignment = "02-verrous"
    nbgrader("generate_assignment", assignment, "--force", "--log-level=ERROR", cwd=cours)
    source = json.loads((cours / "source" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8"))
    gid = lambda c: c["metadata"].get("nbgrader", {}).get("grade_id")  # noqa: E731
    removed = {**source, "cells": [c for c in source["cells"] if gid(c) != "test_incrementer"]}
    modified = json.loads(json.dumps(source))
    for c in modified["cells"]:
        if gid(c) == "test_CompteBancaire":
            c["source"] = "4  # toujours juste"
        if gid(c) == "CompteBancaire":
            c["source"] = "raise NotImplementedError()"
    for etudiant, nb in {"supprime": removed, "modifie": modified}.items():
        dest = cours / "submitted" / etudiant / assignment
        dest.mkdir(parents=True)
        (dest / f"{assignment}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    nbgrader("autograde", assignment, "--force", "--log-level=ERROR", cwd=cours)
    for etudiant, attendu in {"supprime": 4.0, "modifie": 0.0}.items():
        notes = notes_nbgrader(cours, assignment, etudiant)
        engine, _ = grade_cli(cours / "submitted" / etudiant / assignment / f"{assignment}.ipynb", assignment, tmp_path, cwd=cours)
        assert notes == {t["id"]: t["score"] for t in engine["tasks"]}, etudiant
        assert notes["incrementer" if etudiant == "supprime" else "CompteBancaire"] == attendu
