"""The same attacks through nbgrader autograde and the Gradescope bundle: the defences are the engine's."""
from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from autograder.assignment import load_assignment
from autograder.probes.api import MSG_ALTERATION
from autograder.samples import write_variant

from conftest import ROOT, execute_cli, nbgrader
from test_gradescope import run_bundle
from test_nbgrader_bridge import notes_nbgrader

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


ASSIGNMENT = "02-verrous"
# attack file -> the incrementer score it must get, whatever the path
ATTACKS = {"patch_vrais_builtins": 0.0, "lire_source_camarades": 0.0, "tuer_parents": 0.0,
            "exec_compile_course": 1.0}


def secret_lines() -> list[str]:
    texte = (ROOT / "assignments" / ASSIGNMENT / "test_02_verrous.py").read_text(encoding="utf-8")
    return [s.strip() for s in texte.splitlines() if len(s.strip()) >= 24 and not s.strip().startswith(("#", "import", "from"))]


def test_attacks_under_nbgrader_autograde(cours: Path, tmp_path: Path):
    nbgrader("generate_assignment", ASSIGNMENT, "--force", "--log-level=ERROR", cwd=cours)
    d = load_assignment(cours, ASSIGNMENT)
    for nom in ATTACKS:
        dest = cours / "submitted" / nom / ASSIGNMENT
        dest.mkdir(parents=True)
        write_variant(d, ROOT / "tests" / "hostiles" / f"{nom}.py", dest / f"{ASSIGNMENT}.ipynb")
    nbgrader("autograde", ASSIGNMENT, "--force", "--log-level=ERROR", cwd=cours)
    for nom, attendu in ATTACKS.items():
        notes = notes_nbgrader(cours, ASSIGNMENT, nom)
        assert notes["incrementer"] == attendu, (nom, notes)
        assert notes["CompteBancaire"] == 4.0, (nom, notes)  # an attack costs only its own task
    autograded = "".join(_outputs(f) for f in (cours / "autograded").rglob("*.ipynb"))
    assert MSG_ALTERATION.format(quoi="builtins") in autograded
    for s in secret_lines():
        assert s not in autograded, s


def _outputs(notebook: Path) -> str:
    """Every output text of a notebook, as the TA and the feedback show it."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    texts = []
    for cell in nb["cells"]:
        for o in cell.get("outputs", []):
            for v in [o.get("text", "")] + list(o.get("data", {}).values()):
                texts.append("".join(v) if isinstance(v, list) else str(v))
    return "\n".join(texts)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("gs") / "paquet.zip"
    proc = execute_cli("gradescope", ASSIGNMENT, "--output", str(output))
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(output) as z:
        assert not [n for n in z.namelist() if n.startswith("tests/") or n.startswith("submitted/")]
    return output


@pytest.mark.parametrize("nom", sorted(ATTACKS))
def test_attacks_in_package_gradescope(package: Path, tmp_path: Path, nom: str):
    d = load_assignment(ROOT, ASSIGNMENT)
    submission_copy = write_variant(d, ROOT / "tests" / "hostiles" / f"{nom}.py", tmp_path / "copie" / f"{ASSIGNMENT}.ipynb")
    resultats = run_bundle(package, tmp_path / "gs", submission_copy)
    scores = {}
    for t in resultats["tests"]:
        task = t["tags"][0]
        scores[task] = round(scores.get(task, 0.0) + t["score"], 2)
    assert scores["incrementer"] == ATTACKS[nom], resultats
    assert scores["CompteBancaire"] == 4.0, resultats
    visible = resultats["output"] + "".join(t["output"] for t in resultats["tests"])
    for s in secret_lines():
        assert s not in visible, s
    shutil.rmtree(tmp_path / "gs", ignore_errors=True)
