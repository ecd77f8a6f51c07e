"""The self-check in a real Jupyter kernel (nbclient) and under `nbgrader validate`, on the release notebooks."""
from __future__ import annotations

import importlib.util
import shutil
import sys
from datetime import datetime
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.assignment import charger_devoir
from autograder.probes.api import MSG_NON_IMPLEMENTE
from autograder.probes.verdicts import MSG_PERTE
from autograder.samples import ecrire_variante, fabriquer
from autograder.selfcheck import MSG_REUSSI

from conftest import CATALOGUE, RACINE, nbgrader
from selfcheck_helpers import DEVOIRS, cas_catalogue, constante, normal, solutions, template

pytestmark = [pytest.mark.kernel, pytest.mark.slow]


# The kernel cannot import matplotlib here: `%matplotlib inline` would fail the student's own cell
# (then nothing is defined). The other magics of that submission stay.
SANS_MATPLOTLIB = importlib.util.find_spec("matplotlib") is None


def _test_cells(devoir: str) -> dict[str, str]:
    """The visible part of each locked test cell of the release (what a student runs)."""
    nb = nbformat.read(RACINE / "release" / devoir / f"{devoir}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"].removeprefix("test_"): c.source for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}


def _variants(devoir: str) -> list[tuple[str, dict[str, str], dict[str, str | None]]]:
    """(name, answer cells to run, expected per task: None passes, else the constant of the failure)."""
    sol = solutions(devoir)
    stubs = solutions(devoir, "release")
    variants = [("release", stubs, {t: "MSG_NON_IMPLEMENTE" for t in stubs}), ("solution", sol, dict.fromkeys(sol))]
    par_fichier: dict[str, tuple[dict, dict]] = {}
    for d, fichier, tache, source, attendu in cas_catalogue():
        if d != devoir:
            continue
        if SANS_MATPLOTLIB:
            source = source.replace("%matplotlib inline\n", "")
        cellules, attendus = par_fichier.setdefault(fichier.stem, ({}, {}))
        cellules[tache], attendus[tache] = source, attendu
    variants += [(nom, c, a) for nom, (c, a) in par_fichier.items()]
    return variants


def _seconds(cell) -> float:
    ex = cell.metadata.get("execution", {})
    debut, fin = (datetime.fromisoformat(ex[k].replace("Z", "+00:00"))
                  for k in ("iopub.execute_input", "shell.execute_reply"))
    return (fin - debut).total_seconds()


@pytest.mark.parametrize("devoir", DEVOIRS)
def test_self_check_in_a_real_kernel(devoir, tmp_path):
    """One kernel per notebook: every variant's answer cells, then the release's test cells for its tasks."""
    tests = _test_cells(devoir)
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    attendus = []
    for nom, cellules, attendu in _variants(devoir):
        for tache, source in cellules.items():
            nb.cells.append(nbformat.v4.new_code_cell(source))
        for tache in cellules:
            nb.cells.append(nbformat.v4.new_code_cell(tests[tache]))
            attendus.append((len(nb.cells) - 1, nom, tache, attendu[tache]))
    dossier = tmp_path / devoir
    shutil.copytree(RACINE / "release" / devoir, dossier)
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True, record_timing=True,
                   resources={"metadata": {"path": str(dossier)}}).execute()
    durees = []
    for i, nom, tache, nom_constante in attendus:
        cell = nb.cells[i]
        erreurs = [o for o in cell.outputs if o.output_type == "error"]
        texte = "\n".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        durees.append((_seconds(cell), f"{nom}/{tache}"))
        if nom_constante is None:
            assert not erreurs, (nom, tache, [normal("\n".join(e.traceback)) for e in erreurs])
            assert template(MSG_REUSSI).fullmatch(texte.strip()), (nom, tache, texte)
            continue
        assert [e.ename for e in erreurs] == ["SelfCheckFailed"], (nom, tache, cell.outputs)
        rapport = normal("\n".join(erreurs[0].traceback))
        if nom_constante == "MSG_NON_IMPLEMENTE":
            assert normal(MSG_NON_IMPLEMENTE.format(quoi=tache)) in rapport, (nom, tache, rapport)
        else:
            assert template(constante(devoir, nom_constante)).search(rapport), (nom, tache, nom_constante, rapport)
    durees.sort(reverse=True)
    print(f"\n{devoir}: {len(durees)} self-check cells, max {durees[0][0]:.2f} s ({durees[0][1]}), "
          f"mean {sum(d for d, _ in durees) / len(durees):.3f} s", file=sys.stderr)


def _validate(notebook: Path, cours: Path) -> str:
    return nbgrader("validate", str(notebook), cwd=cours).stdout


@pytest.mark.parametrize("devoir", DEVOIRS)
def test_nbgrader_validate_fails_on_release_and_passes_on_solutions(cours, devoir):
    d = charger_devoir(cours, devoir)
    release = cours / "release" / devoir / f"{devoir}.ipynb"
    sortie = _validate(release, cours)
    manuelles = 1 if devoir == "04-gil" else 0  # analyse_gil, a Markdown answer: "You did not provide a response."
    assert f"VALIDATION FAILED ON {len(_test_cells(devoir)) + manuelles} CELL(S)!" in sortie, sortie
    for tache in _test_cells(devoir):
        assert normal(MSG_NON_IMPLEMENTE.format(quoi=tache)) in normal(sortie), tache
    remplie = fabriquer(d, {}, base="solution")
    for c in remplie.cells:  # the source has no model answer for analyse_gil (graded by hand): a student's
        if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution"):
            c.source = "Les attentes se recouvrent entre threads ; le calcul, lui, est limité par le GIL."
    chemin = cours / "release" / devoir / "solutions.ipynb"
    nbformat.write(remplie, chemin)
    assert "Success! Your notebook passes all the tests." in _validate(chemin, cours)


def test_nbgrader_validate_fails_on_a_lost_update(cours):
    d = charger_devoir(cours, "02-verrous")
    nb = ecrire_variante(d, CATALOGUE / "02-verrous" / "ko_sans_verrou.py", cours / "release" / "02-verrous" / "x.ipynb")
    sortie = _validate(nb, cours)
    assert "VALIDATION FAILED ON 1 CELL(S)!" in sortie, sortie
    assert template(MSG_PERTE).search(normal(sortie)), sortie


def _quick_tests(devoir: str) -> dict[str, str]:
    """The quick test cell that follows each answer cell in the release."""
    cells = nbformat.read(RACINE / "release" / devoir / f"{devoir}.ipynb", as_version=4).cells
    return {c.metadata["nbgrader"]["grade_id"]: cells[i + 1].source for i, c in enumerate(cells)
            if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}


# Answers that block forever on a real call: the quick test must fail in French, not hang the kernel.
BLOQUANTES = [("02-verrous", "ko_compter_barriere_trop", "compter_en_parallele", "SelfCheckFailed"),
              ("03-file-attente", "ko_une_sentinelle", "traiter_taches", "AssertionError"),
              ("03-file-attente", "ko_task_done_sentinelle_oublie", "travailleur", "AssertionError")]


def test_quick_tests_never_hang(tmp_path):
    from autograder.samples import sections
    from autograder.selfcheck import MSG_APPEL_BLOQUE
    nb = nbformat.v4.new_notebook()
    attendus = []
    for devoir, fichier, tache, erreur in BLOQUANTES:
        source = sections((CATALOGUE / devoir / f"{fichier}.py").read_text(encoding="utf-8"))[tache]
        if tache == "traiter_taches":
            nb.cells.append(nbformat.v4.new_code_cell(solutions(devoir)["travailleur"]))
        nb.cells += [nbformat.v4.new_code_cell(source), nbformat.v4.new_code_cell(_quick_tests(devoir)[tache])]
        attendus.append((len(nb.cells) - 1, tache, erreur))
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    for i, tache, erreur in attendus:
        erreurs = [o for o in nb.cells[i].outputs if o.output_type == "error"]
        assert [e.ename for e in erreurs] == [erreur], (tache, nb.cells[i].outputs)
        if erreur == "SelfCheckFailed":
            assert normal("\n".join(erreurs[0].traceback)) == normal(MSG_APPEL_BLOQUE.format(nom=tache, delai=10))
