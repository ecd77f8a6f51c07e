"""Gradescope: build an autograder zip for one assignment, and the run_autograder entry point inside it."""
from __future__ import annotations

import json
import os
import sys
import time
import zipfile
from pathlib import Path

from ..assignment import Devoir

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
DEPENDANCES = ("pytest", "pytest-timeout", "pluggy", "iniconfig", "packaging", "rich", "markdown-it-py",
               "mdurl", "pygments", "jinja2", "markupsafe", "nbgrader", "traitlets")
MSG_AUCUN_NOTEBOOK = ("Aucun notebook .ipynb trouvé dans votre dépôt : déposez le fichier {devoir}.ipynb "
                      "enregistré depuis Jupyter.")


def _dependances(racine: Path) -> str:
    lignes = []
    for ligne in (racine / "requirements.lock").read_text(encoding="utf-8").splitlines():
        nom = ligne.split("==")[0].strip().lower()
        if nom in DEPENDANCES and nom != "nbgrader":
            lignes.append(ligne.strip())
    return "\n".join(sorted(lignes)) + "\n"


def construire(racine: Path, devoir: Devoir, sortie: Path | None = None) -> Path:
    """The zip Gradescope expects: setup.sh and run_autograder at the top, the course files beside them."""
    sortie = sortie or racine / "exports" / f"{devoir.id}-gradescope.zip"
    sortie.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as z:
        def ajouter(chemin: Path, nom: str, mode: int = 0o644) -> None:
            info = zipfile.ZipInfo(nom, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, chemin.read_bytes())

        def texte(contenu: str, nom: str, mode: int = 0o644) -> None:
            info = zipfile.ZipInfo(nom, date_time=(2026, 1, 1, 0, 0, 0))
            info.external_attr = (0o100000 | mode) << 16
            z.writestr(info, contenu)

        texte(SETUP_SH, "setup.sh", 0o755)
        texte(RUN_AUTOGRADER.format(devoir=devoir.id), "run_autograder", 0o755)
        texte(_dependances(racine), "requirements-gradescope.txt")
        texte((racine / "pyproject.toml").read_text(encoding="utf-8")
              .replace('    "nbgrader==0.9.6",\n', "").replace('    "nbformat==5.11.1",\n', ""), "pyproject.toml")
        ajouter(racine / "README.md", "README.md")
        texte("c = get_config()  # noqa: F821 - marks the course root for the engine\n", "nbgrader_config.py")
        for f in sorted((racine / "autograder").rglob("*.py")):
            ajouter(f, str(f.relative_to(racine)))
        dossier = racine / "assignments" / devoir.id
        for f in [dossier / "bareme.toml", devoir.correcteur]:
            ajouter(f, str(f.relative_to(racine)))
        ajouter(devoir.notebook_source, str(devoir.notebook_source.relative_to(racine)))
        for f in devoir.fichiers_publics:  # modules shipped beside the release notebook
            ajouter(f, str(f.relative_to(racine)))
    return sortie


def resultats_gradescope(resultat, devoir: Devoir, duree: float) -> dict:
    """results.json: one test per check, its share of the task's points; hidden until after the due date."""
    tests = []
    for t, tache in zip(resultat.tasks, devoir.taches):
        poids = sum(v.poids for v in tache.verifications)
        for c, v in zip(t.checks, tache.verifications):
            part = round(t.max_score * v.poids / poids, 2)
            tests.append({"name": f"{t.id} — {c.name}", "score": part if c.passed else 0.0, "max_score": part,
                          "status": "passed" if c.passed else "failed", "output": c.message,
                          "visibility": "after_due_date", "tags": [t.id]})
    resume = "\n".join([f"Note : {resultat.score:g} / {resultat.max_score:g}", *resultat.errors])
    return {"score": resultat.score, "execution_time": round(duree, 2), "output": resume,
            "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}


def main(argv: list[str] | None = None) -> int:
    """run_autograder: grade the notebook found in <root>/submission (root: /autograder, or $AUTOGRADER_GRADESCOPE_ROOT)."""
    from ..assignment import charger_devoir
    from ..engine import noter_notebook, resultat_vide

    devoir_id = (argv or sys.argv[1:])[0]
    racine_gs = Path(os.environ.get("AUTOGRADER_GRADESCOPE_ROOT", "/autograder"))
    devoir = charger_devoir(Path.cwd(), devoir_id)
    debut = time.monotonic()
    candidats = sorted((racine_gs / "submission").rglob("*.ipynb"),
                       key=lambda p: (p.name != f"{devoir_id}.ipynb", len(p.parts), str(p)))
    if candidats:
        resultat = noter_notebook(candidats[0], devoir)
    else:
        resultat = resultat_vide(devoir, MSG_AUCUN_NOTEBOOK.format(devoir=devoir_id))
    (racine_gs / "results").mkdir(parents=True, exist_ok=True)
    donnees = resultats_gradescope(resultat, devoir, time.monotonic() - debut)
    (racine_gs / "results" / "results.json").write_text(json.dumps(donnees, ensure_ascii=False, indent=1),
                                                        encoding="utf-8")
    print(f"Gradescope : {resultat.score:g} / {resultat.max_score:g} écrit dans {racine_gs / 'results' / 'results.json'}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
