"""nbgrader's picture of a batch: the gradebook and autograded/ exactly as `nbgrader autograde` leaves them."""
from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
import types
from datetime import datetime
from pathlib import Path
from typing import Any

from .assignment import Devoir
from .notebook import nbgrader_meta, tache_testee
from .results import GradeResult

log = logging.getLogger("autograder.gradebook")


def nbgrader_leger() -> None:
    """Import nbgrader's modules without its package ``__init__``, which loads four Jupyter server
    extensions (about 1 s) that grading never uses. A no-op once nbgrader is imported."""
    if "nbgrader" in sys.modules:
        return
    spec = importlib.util.find_spec("nbgrader")
    if spec is None or not spec.submodule_search_locations:
        return
    paquet = types.ModuleType("nbgrader", "nbgrader, loaded without its server extensions")
    paquet.__path__ = list(spec.submodule_search_locations)
    paquet.__file__ = spec.origin
    paquet.__spec__ = spec
    sys.modules["nbgrader"] = paquet
    from nbgrader._version import __version__
    paquet.__version__ = __version__


def chemin_avec_venv() -> None:
    """Put this interpreter's scripts folder first on PATH: nbgrader runs `alembic` as a command, which is
    not on PATH when the venv's `autograder` is called by its path without activating the venv."""
    dossier = str(Path(sys.executable).parent)
    chemins = os.environ.get("PATH", "").split(os.pathsep)
    if chemins[:1] != [dossier]:
        os.environ["PATH"] = os.pathsep.join([dossier, *[c for c in chemins if c != dossier]])


def environnement_nbgrader() -> dict[str, str]:
    """The environment for an nbgrader subprocess: this interpreter's scripts folder first on PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def url_gradebook(racine: Path) -> str:
    """The course's db_url as nbgrader_config.py sets it (sqlite:///<root>/gradebook.db by default)."""
    nbgrader_leger()
    from traitlets.config.loader import PyFileConfigLoader

    conf = PyFileConfigLoader("nbgrader_config.py", path=str(racine)).load_config()
    url = conf.get("CourseDirectory", {}).get("db_url")
    return str(url) if url else f"sqlite:///{racine / 'gradebook.db'}"


def generer_release(racine: Path, devoir_id: str) -> None:
    """Run nbgrader's own generate_assignment (it also registers the notebook and grade cells in the gradebook)."""
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", devoir_id, "--force",
                    "--log-level=ERROR"], cwd=racine, check=True, env=environnement_nbgrader(),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _cellules_notees(devoir: Devoir) -> dict[str, float]:
    """grade_id -> points of every grade cell of the source notebook."""
    nb = json.loads(devoir.notebook_source.read_text(encoding="utf-8"))
    metas = (nbgrader_meta(c) for c in nb["cells"])
    return {m["grade_id"]: float(m.get("points", 0)) for m in metas if m.get("grade")}


def release_a_jour(url: str, devoir: Devoir) -> bool:
    """The gradebook knows this assignment's notebook with the source's grade cells and points."""
    nbgrader_leger()
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(url) as gb:
        try:
            nb = gb.find_notebook(devoir.id, devoir.id)
        except MissingEntry:
            return False
        connues = {g.name: float(g.max_score) for g in nb.grade_cells}
    return connues == _cellules_notees(devoir)


def assurer_devoir(racine: Path, devoir: Devoir, url: str) -> None:
    """Register the assignment with nbgrader (generate_assignment) unless the gradebook is already up to date."""
    if not release_a_jour(url, devoir):
        generer_release(racine, devoir.id)


def _horodatage(dossier: Path) -> datetime | None:
    """The submission time nbgrader reads from timestamp.txt, if the submission has one."""
    from nbgrader.utils import parse_utc

    f = dossier / "timestamp.txt"
    if not f.is_file():
        return None
    try:
        return parse_utc(f.read_text(encoding="utf-8").strip())
    except (ValueError, OverflowError):
        return None


class _Partage:
    """Stands in for nbgrader.api.Gradebook inside nbgrader's preprocessors during one record: they use the
    batch's open gradebook instead of opening (and migrating, inspecting) a new one for every notebook."""

    def __init__(self, gb: Any) -> None:
        self.gb = gb

    def __call__(self, *_: Any, **__: Any) -> "_Partage":
        return self

    def __enter__(self) -> Any:
        return self.gb

    def __exit__(self, *exc: Any) -> None:
        self.gb.db.commit()

    def __getattr__(self, nom: str) -> Any:
        return getattr(self.gb, nom)


class _SchemasCompiles:
    """Stands in for the ``jsonschema`` module in nbgrader's cell-metadata validator during one record.

    nbgrader calls ``jsonschema.validate(metadata, schema)`` for every cell, which checks the schema itself
    each time (about 20 ms of a 140 ms record). This gives the same errors (jsonschema's own ``best_match``)
    with one validator per schema. Written here because nbgrader has no hook for it.
    """

    def __init__(self, module: Any) -> None:
        self._module = module
        self._validateurs: dict[str, Any] = {}

    def __getattr__(self, nom: str) -> Any:
        return getattr(self._module, nom)

    def validate(self, instance: Any, schema: dict) -> None:
        cle = json.dumps(schema, sort_keys=True)
        validateur = self._validateurs.get(cle)
        if validateur is None:
            classe = self._module.validators.validator_for(schema)
            classe.check_schema(schema)
            validateur = self._validateurs[cle] = classe(schema)
        erreur = self._module.exceptions.best_match(validateur.iter_errors(instance))
        if erreur is not None:
            raise erreur


class Enregistreur:
    """Records results as `nbgrader autograde` would: student, submission and timestamp, the autograded
    notebook (sanitized by nbgrader's own preprocessors, test cells carrying the engine's scores), then
    nbgrader's SaveAutoGrades and AssignLatePenalties on it. Formgrader then lists the submission as
    autograded, with hand-graded cells waiting in Manual Grading."""

    def __init__(self, racine: Path, devoir: Devoir, url: str) -> None:
        nbgrader_leger()
        from nbgrader.api import Gradebook
        from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds,
                                            LimitOutput, OverwriteCells, OverwriteKernelspec, SaveAutoGrades)

        self.racine, self.devoir, self.url = racine, devoir, url
        self.gb = Gradebook(url)
        self.nettoyage = [ClearOutput(), DeduplicateIds(), OverwriteKernelspec(), OverwriteCells(),
                          CheckCellMetadata()]
        # nbgrader's autograde pipeline ends with a second CheckCellMetadata: the test cells' outputs are ours,
        # and the metadata was validated above, so it is left out (it is the slowest step of a record).
        self.notation = [LimitOutput(), SaveAutoGrades(), AssignLatePenalties()]
        import nbgrader.preprocessors.latesubmissions as tardifs
        import nbgrader.preprocessors.overwritecells as ecrasement
        import nbgrader.preprocessors.overwritekernelspec as noyau
        import nbgrader.preprocessors.saveautogrades as sauvegarde
        self._modules = (ecrasement, noyau, sauvegarde, tardifs)
        from nbgrader.nbgraderformat import common
        self._schemas = _SchemasCompiles(common.jsonschema)
        ignores = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.ipynb"]
        source = devoir.notebook_source.parent
        self.fichiers_source = [f for f in source.rglob("*") if f.is_file()
                                and not any(f.match(m) or m in f.parts for m in ignores)]

    def close(self) -> None:
        self.gb.close()

    def __enter__(self) -> "Enregistreur":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _ressources(self, etudiant: str) -> dict[str, Any]:
        return {"unique_key": self.devoir.id, "nbgrader": {"student": etudiant, "assignment": self.devoir.id,
                                                          "notebook": self.devoir.id, "db_url": self.url}}

    def enregistrer(self, etudiant: str, chemin: Path, resultat: GradeResult) -> None:
        """Record one submission (idempotent: a second call with the same result changes nothing)."""
        from nbgrader.nbgraderformat import common

        partage = _Partage(self.gb)
        originaux = [m.Gradebook for m in self._modules]
        validation = common.jsonschema
        for m in self._modules:
            m.Gradebook = partage
        common.jsonschema = self._schemas
        try:
            self._enregistrer(etudiant, chemin, resultat)
        finally:
            common.jsonschema = validation
            for m, g in zip(self._modules, originaux):
                m.Gradebook = g

    def _enregistrer(self, etudiant: str, chemin: Path, resultat: GradeResult) -> None:
        import nbformat

        from .nbgrader_execution import remplir_sorties, restaurer_tests_supprimes

        devoir, gb = self.devoir, self.gb
        dossier = chemin.parent
        horodatage = _horodatage(dossier) if dossier.name == devoir.id else None
        gb.update_or_create_student(etudiant)
        if horodatage is not None:
            gb.update_or_create_submission(devoir.id, etudiant, timestamp=horodatage)
        else:
            gb.update_or_create_submission(devoir.id, etudiant)
        gb.db.commit()

        cible = self.racine / "autograded" / etudiant / devoir.id
        cible.mkdir(parents=True, exist_ok=True)
        if dossier.name == devoir.id:  # nbgrader's layout: the submission's other files come along
            for f in dossier.iterdir():
                if f.is_file() and f.suffix != ".ipynb":
                    shutil.copy(f, cible / f.name)
        for f in self.fichiers_source:
            dest = cible / f.relative_to(devoir.notebook_source.parent)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, dest)

        lisible = True
        try:
            nb = nbformat.read(chemin, as_version=4)
            ressources = self._ressources(etudiant)
            for p in self.nettoyage:
                nb, ressources = p.preprocess(nb, ressources)
        except Exception as e:  # noqa: BLE001 - unreadable or malformed: graded from the blank release
            log.info("%s / %s: notebook unusable by nbgrader (%s: %s); recorded from the release",
                     etudiant, devoir.id, type(e).__name__, e)
            lisible = False
            nb = nbformat.read(self.racine / "release" / devoir.id / f"{devoir.id}.ipynb", as_version=4)
        restaurer_tests_supprimes(nb, devoir)
        remplir_sorties(nb, resultat)
        ressources = self._ressources(etudiant)
        for p in self.notation:
            nb, ressources = p.preprocess(nb, ressources)
        if not lisible:  # as nbgrader does for a missing notebook: zero everywhere, nothing to grade by hand
            sub = gb.find_submission_notebook(devoir.id, devoir.id, etudiant)
            for note in sub.grades:
                if tache_testee(note.name) is None:
                    note.auto_score = 0
                    note.needs_manual_grade = False
            gb.db.commit()
        nbformat.write(nb, cible / f"{devoir.id}.ipynb")
        if horodatage is None:
            (cible / "timestamp.txt").unlink(missing_ok=True)
