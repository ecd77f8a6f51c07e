"""Gradescope: build an autograder zip for one assignment, and the run_autograder entry point inside it."""
from __future__ import annotations

import json
import os
import sys
import time
import zipfile
from pathlib import Path

from ..assignment import Assignment

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image.
set -euo pipefail
cd /autograder/source
# Student code runs in a bubblewrap jail: without it, grading is refused (see README).
command -v bwrap >/dev/null || { apt-get update -qq && apt-get install -y -qq bubblewrap; }
python3 -m pip install --no-cache-dir -r requirements-gradescope.txt
python3 -m pip install --no-cache-dir --no-deps .
"""
RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission: results go to /autograder/results/results.json.
set -uo pipefail
cd "${{AUTOGRADER_GRADESCOPE_ROOT:-/autograder}}/source"
exec python3 -m autograder.lms.gradescope {devoir}
"""
# What the engine needs at grading time on Gradescope (a subset of requirements.lock, same pins).
DEPENDENCIES = ("pytest", "pytest-timeout", "pluggy", "iniconfig", "packaging", "rich", "markdown-it-py",
               "mdurl", "pygments", "jinja2", "markupsafe", "nbgrader", "traitlets")
MSG_NO_NOTEBOOK = ("Aucun notebook .ipynb trouvé dans votre dépôt : déposez le fichier {devoir}.ipynb "
                      "enregistré depuis Jupyter.")


def _dependencies(root: Path) -> str:
    lignes = []
    for line in (root / "requirements.lock").read_text(encoding="utf-8").splitlines():
        nom = line.split("==")[0].strip().lower()
        if nom in DEPENDENCIES and nom != "nbgrader":
            lignes.append(line.strip())
    return "\n".join(sorted(lignes)) + "\n"


def build(root: Path, assignment: Assignment, output: Path | None = None) -> Path:
    """The zip Gradescope expects: setup.sh and run_autograder at the top, the course files beside them."""
    output = output or root / "exports" / f"{assignment.id}-gradescope.zip"
    output.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as z:
        def add(path: Path, nom: str, mode: int = 0o644) -> None:
            info = zipfile.ZipInfo(nom, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())

        def texte(content: str, nom: str, mode: int = 0o644) -> None:
            info = zipfile.ZipInfo(nom, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            z.writestr(info, content)

        texte(SETUP_SH, "setup.sh", 0o755)
        texte(RUN_AUTOGRADER.format(devoir=assignment.id), "run_autograder", 0o755)
        texte(_dependencies(root), "requirements-gradescope.txt")
        texte((root / "pyproject.toml").read_text(encoding="utf-8")
              .replace('    "nbgrader==0.9.6",\n', "").replace('    "nbformat==5.11.1",\n', ""), "pyproject.toml")
        add(root / "README.md", "README.md")
        texte("c = get_config()  # noqa: F821 - marks the course root for the engine\n", "nbgrader_config.py")
        for f in sorted((root / "autograder").rglob("*.py")):
            add(f, str(f.relative_to(root)))
        folder = root / "assignments" / assignment.id
        for f in [folder / "bareme.toml", assignment.grader]:
            add(f, str(f.relative_to(root)))
        add(assignment.notebook_source, str(assignment.notebook_source.relative_to(root)))
        for f in assignment.public_files:  # modules shipped beside the release notebook
            add(f, str(f.relative_to(root)))
    return output


def results_gradescope(resultat, assignment: Assignment, duree: float) -> dict:
    """results.json: one test per check, its share of the task's points; hidden until after the due date."""
    tests = []
    for t, task in zip(resultat.tasks, assignment.taches):
        poids = sum(v.poids for v in task.hidden_checks)
        for c, v in zip(t.checks, task.hidden_checks):
            part = round(t.max_score * v.poids / poids, 2)
            tests.append({"name": f"{t.id} — {c.name}", "score": part if c.passed else 0.0, "max_score": part,
                          "status": "passed" if c.passed else "failed", "output": c.message,
                          "visibility": "after_due_date", "tags": [t.id]})
    resume = "\n".join([f"Note : {resultat.score:g} / {resultat.max_score:g}", *resultat.errors])
    return {"score": resultat.score, "execution_time": round(duree, 2), "output": resume,
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


def main(argv: list[str] | None = None) -> int:
    """run_autograder: grade the notebook found in <root>/submission (root: /autograder, or $AUTOGRADER_GRADESCOPE_ROOT)."""
    from ..assignment import load_assignment
    from ..engine import grade_notebook, empty_result

    assignment_id = (argv or sys.argv[1:])[0]
    root_gs = Path(os.environ.get("AUTOGRADER_GRADESCOPE_ROOT", "/autograder"))
    assignment = load_assignment(Path.cwd(), assignment_id)
    debut = time.monotonic()
    candidates = sorted((root_gs / "submission").rglob("*.ipynb"),
                       key=lambda p: (p.name != f"{assignment_id}.ipynb", len(p.parts), str(p)))
    if candidates:
        resultat = grade_notebook(candidates[0], assignment)
    else:
        resultat = empty_result(assignment, MSG_NO_NOTEBOOK.format(devoir=assignment_id))
    (root_gs / "results").mkdir(parents=True, exist_ok=True)
    donnees = results_gradescope(resultat, assignment, time.monotonic() - debut)
    (root_gs / "results" / "results.json").write_text(json.dumps(donnees, ensure_ascii=False, indent=1),
                                                        encoding="utf-8")
    print(f"Gradescope : {resultat.score:g} / {resultat.max_score:g} écrit dans {root_gs / 'results' / 'results.json'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
