"""The same attacks through nbgrader autograde and the Gradescope bundle: the defences are the engine's."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from autograder.assignment import charger_devoir
from autograder.probes.api import MSG_ALTERATION
from autograder.samples import ecrire_variante

from conftest import RACINE, executer_cli, nbgrader
from test_gradescope import lancer
from test_nbgrader_bridge import notes_nbgrader

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


DEVOIR = "02-verrous"
# attack file -> the incrementer score it must get, whatever the path
ATTAQUES = {"patch_vrais_builtins": 0.0, "lire_source_camarades": 0.0, "tuer_parents": 0.0,
            "exec_compile_course": 1.0}


def lignes_secretes() -> list[str]:
    texte = (RACINE / "assignments" / DEVOIR / "test_02_verrous.py").read_text(encoding="utf-8")
    return [s.strip() for s in texte.splitlines() if len(s.strip()) >= 24 and not s.strip().startswith(("#", "import", "from"))]


def test_attaques_sous_nbgrader_autograde(cours: Path, tmp_path: Path):
    nbgrader("generate_assignment", DEVOIR, "--force", "--log-level=ERROR", cwd=cours)
    d = charger_devoir(cours, DEVOIR)
    for nom in ATTAQUES:
        dest = cours / "submitted" / nom / DEVOIR
        dest.mkdir(parents=True)
        ecrire_variante(d, RACINE / "tests" / "hostiles" / f"{nom}.py", dest / f"{DEVOIR}.ipynb")
    nbgrader("autograde", DEVOIR, "--force", "--log-level=ERROR", cwd=cours)
    for nom, attendu in ATTAQUES.items():
        notes = notes_nbgrader(cours, DEVOIR, nom)
        assert notes["incrementer"] == attendu, (nom, notes)
        assert notes["CompteBancaire"] == 4.0, (nom, notes)  # an attack costs only its own task
    autogradees = "".join(_sorties(f) for f in (cours / "autograded").rglob("*.ipynb"))
    assert MSG_ALTERATION.format(quoi="builtins") in autogradees
    for s in lignes_secretes():
        assert s not in autogradees, s


def _sorties(notebook: Path) -> str:
    """Every output text of a notebook, as the TA and the feedback show it."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    textes = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            for v in [o.get("text", "")] + list(o.get("data", {}).values()):
                textes.append("".join(v) if isinstance(v, list) else str(v))
    return "\n".join(textes)


@pytest.fixture(scope="module")
def paquet(tmp_path_factory) -> Path:
    sortie = tmp_path_factory.mktemp("gs") / "paquet.zip"
    proc = executer_cli("gradescope", DEVOIR, "--output", str(sortie))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(sortie) as z:
        assert not [n for n in z.namelist() if n.startswith("tests/") or n.startswith("submitted/")]
    return sortie


@pytest.mark.parametrize("nom", sorted(ATTAQUES))
def test_attaques_dans_le_paquet_gradescope(paquet: Path, tmp_path: Path, nom: str):
    d = charger_devoir(RACINE, DEVOIR)
    copie = ecrire_variante(d, RACINE / "tests" / "hostiles" / f"{nom}.py", tmp_path / "copie" / f"{DEVOIR}.ipynb")
    resultats = lancer(paquet, tmp_path / "gs", copie)
    scores = {}
    for t in resultats["tests"]:
        tache = t["tags"][0]
        scores[tache] = round(scores.get(tache, 0.0) + t["score"], 2)
    assert scores["incrementer"] == ATTAQUES[nom], resultats
    assert scores["CompteBancaire"] == 4.0, resultats
    visible = resultats["output"] + "".join(t["output"] for t in resultats["tests"])
    for s in lignes_secretes():
        assert s not in visible, s
    shutil.rmtree(tmp_path / "gs", ignore_errors=True)
