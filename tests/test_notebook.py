"""Broken submissions through `autograder grade`: exit 0, a French error, every task present and scored."""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from autograder import notebook as nbm
from autograder.assignment import MSG_DEVOIR_INCONNU, MSG_RACINE, charger_devoir, devoirs_disponibles
from autograder.cli import MSG_NOTE, MSG_NOTEBOOK_INTROUVABLE
from autograder.probes.api import MSG_CELLULE_MANQUANTE
from autograder.probes.harness import MSG_SYNTAXE
from autograder.samples import fabriquer

from conftest import RACINE, executer_cli, noter_cli, rendu_de

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


DEVOIR = "02-verrous"


def ecrire(tmp_path: Path, contenu: bytes) -> Path:
    f = tmp_path / f"{DEVOIR}.ipynb"
    f.write_bytes(contenu)
    return f


@pytest.mark.parametrize("contenu, constante", [
    (b"", nbm.MSG_VIDE),
    (b"   \n", nbm.MSG_VIDE),
    (b"\xff\xfe\x00garbage", nbm.MSG_ILLISIBLE),
    (b'{"cells": [', nbm.MSG_PAS_JSON),
    (b'[1, 2, 3]', nbm.MSG_PAS_NOTEBOOK),
    (b'{"cells": [], "nbformat": 3}', nbm.MSG_PAS_NOTEBOOK),
    (b'{"cells": ["texte"], "nbformat": 4}', nbm.MSG_PAS_NOTEBOOK),
], ids=["vide", "blancs", "binaire", "json-tronque", "liste", "format-3", "cellule-texte"])
def test_fichier_inutilisable(tmp_path, contenu, constante):
    resultat, proc = noter_cli(ecrire(tmp_path, contenu), DEVOIR, tmp_path)
    devoir = charger_devoir(RACINE, DEVOIR)
    assert resultat["score"] == 0
    assert [t["id"] for t in resultat["tasks"]] == [t.id for t in devoir.taches]
    assert resultat["errors"] and rendu_de(constante, resultat["errors"][0]), resultat["errors"]
    assert all(not c["passed"] for t in resultat["tasks"] for c in t["checks"])


def test_repertoire_au_lieu_d_un_fichier(tmp_path):
    d = tmp_path / "dossier.ipynb"
    d.mkdir()
    resultat, _ = noter_cli(d, DEVOIR, tmp_path)
    assert rendu_de(nbm.MSG_ILLISIBLE, resultat["errors"][0]), resultat["errors"]


def _nb(tmp_path: Path, modifier) -> Path:
    nb = fabriquer(charger_devoir(RACINE, DEVOIR), {})
    modifier(nb)
    f = tmp_path / f"{DEVOIR}.ipynb"
    nbformat.write(nb, f)
    return f


def gid(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def test_cellule_supprimee_coute_sa_tache_seulement(tmp_path):
    f = _nb(tmp_path, lambda nb: nb.cells.__setitem__(slice(None), [c for c in nb.cells if gid(c) != "CompteBancaire"]))
    resultat, _ = noter_cli(f, DEVOIR, tmp_path)
    scores = {t["id"]: t["score"] for t in resultat["tasks"]}
    assert scores == {"incrementer": 4, "compter_en_parallele": 2, "CompteBancaire": 0}
    messages = [c["message"] for t in resultat["tasks"] for c in t["checks"] if not c["passed"]]
    assert messages and all(m == MSG_CELLULE_MANQUANTE.format(gid="CompteBancaire") for m in messages)
    assert resultat["errors"] == [nbm.MSG_ABSENTE.format(gid="CompteBancaire")]


def test_cellules_reordonnees(tmp_path):
    f = _nb(tmp_path, lambda nb: nb.cells.reverse())
    resultat, _ = noter_cli(f, DEVOIR, tmp_path)
    assert resultat["score"] == 10


def test_cellules_de_test_modifiees_ignorees(tmp_path):
    def tricher(nb):
        for c in nb.cells:
            if gid(c) == "test_incrementer":
                c.source = "print(4.0)"
    resultat, _ = noter_cli(_nb(tmp_path, tricher), DEVOIR, tmp_path)
    assert resultat["score"] == 10
    assert resultat["errors"] == [nbm.MSG_TESTS_MODIFIES.format(ids="test_incrementer")]


def test_cellule_en_double(tmp_path):
    def doubler(nb):
        i = next(i for i, c in enumerate(nb.cells) if gid(c) == "incrementer")
        copie = nbformat.from_dict(json.loads(json.dumps(nb.cells[i])))
        copie.source = "raise RuntimeError('copie')"
        copie.id = "copie-en-double"
        nb.cells.insert(i + 1, copie)
    resultat, _ = noter_cli(_nb(tmp_path, doubler), DEVOIR, tmp_path)
    assert resultat["score"] == 10
    assert nbm.MSG_DOUBLON.format(gid="incrementer", n=2) in resultat["errors"]


def test_erreur_de_syntaxe_coute_sa_tache(tmp_path):
    def casser(nb):
        for c in nb.cells:
            if gid(c) == "incrementer":
                c.source = "def incrementer(n):\n    return (\n"
    resultat, _ = noter_cli(_nb(tmp_path, casser), DEVOIR, tmp_path)
    scores = {t["id"]: t["score"] for t in resultat["tasks"]}
    assert scores == {"incrementer": 0, "compter_en_parallele": 2, "CompteBancaire": 4}
    msg = resultat["tasks"][0]["checks"][0]["message"]
    assert msg == MSG_SYNTAXE.format(grade_id="incrementer", ligne=2, erreur="'(' was never closed")


def test_usage_notebook_absent():
    proc = executer_cli("grade", "nexiste-pas.ipynb", "--assignment", DEVOIR)
    assert proc.returncode == 2
    assert proc.stderr == f"autograder : {MSG_NOTEBOOK_INTROUVABLE.format(chemin='nexiste-pas.ipynb')}\n"


def test_usage_devoir_inconnu(tmp_path):
    proc = executer_cli("grade", str(ecrire(tmp_path, b"")), "--assignment", "99-rien")
    assert proc.returncode == 2
    connus = ", ".join(devoirs_disponibles(RACINE))
    assert proc.stderr == f"autograder : {MSG_DEVOIR_INCONNU.format(id='99-rien', connus=connus)}\n"


def test_usage_hors_du_cours(tmp_path):
    proc = executer_cli("grade", "x.ipynb", "--assignment", DEVOIR, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == f"autograder : {MSG_RACINE.format(dossier=tmp_path.resolve())}\n"


def test_json_sur_la_sortie_standard():
    proc = executer_cli("grade", str(RACINE / "source" / DEVOIR / f"{DEVOIR}.ipynb"), "--assignment", DEVOIR,
                        "--json", "-")
    assert proc.returncode == 0
    debut = proc.stdout.index("{\n")
    donnees, _ = json.JSONDecoder().raw_decode(proc.stdout[debut:])
    assert donnees["score"] == donnees["max_score"] == 10
    assert set(donnees) == {"assignment", "score", "max_score", "tasks", "errors"}
    chemin = RACINE / "source" / DEVOIR / f"{DEVOIR}.ipynb"
    assert proc.stdout.rstrip().splitlines()[-1] == MSG_NOTE.format(chemin=chemin, score=10, max_score=10)


def test_notebook_imbrique_trop_profond(tmp_path):
    """A hand-made file nested deeper than Python's recursion limit is refused in French, not a crash."""
    from autograder.notebook import MSG_PAS_NOTEBOOK, lire_notebook
    f = tmp_path / "02-verrous.ipynb"
    f.write_text('{"cells": ' + "[" * 200_000 + "]" * 200_000 + ', "nbformat": 4}', encoding="utf-8")
    nb, raison = lire_notebook(f)
    assert nb is None
    assert raison == MSG_PAS_NOTEBOOK.format(nom=f.name, raison="imbrication trop profonde")


@pytest.mark.parametrize("source", ["### END HIDDEN TESTS\n### BEGIN HIDDEN TESTS\n",
                                    "a\n### BEGIN HIDDEN TESTS\nx\n### BEGIN HIDDEN TESTS\n",
                                    "### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS\n### END HIDDEN TESTS\nb"])
def test_marqueurs_caches_dans_le_desordre(source):
    """Hidden-test markers in any order or number end (a submission once hung the whole batch here)."""
    from autograder.notebook import _sans_cache
    resultat = _sans_cache(source)
    assert "### BEGIN HIDDEN TESTS\n### END HIDDEN TESTS" not in resultat
    assert len(resultat) <= len(source)
