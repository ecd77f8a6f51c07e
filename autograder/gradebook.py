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

from .assignment import Assignment
from .notebook import nbgrader_meta, tested_task
from .results import GradeResult

log = logging.getLogger("autograder.gradebook")


def nbgrader_light() -> None:
    """Import nbgrader's modules without its package ``__init__``, which loads four Jupyter server
    extensions (about 1 s) that grading never uses. A no-op once nbgrader is imported."""
    if "nbgrader" in sys.modules:
        return
    spec = importlib.util.find_spec("nbgrader")
    if spec is None or not spec.submodule_search_locations:
        return
    package = types.ModuleType("nbgrader", "nbgrader, loaded without its server extensions")
    package.__path__ = list(spec.submodule_search_locations)
    package.__file__ = spec.origin
    package.__spec__ = spec
    sys.modules["nbgrader"] = package
    from nbgrader._version import __version__
    package.__version__ = __version__


def path_with_venv() -> None:
    """Put this interpreter's scripts folder first on PATH: nbgrader runs `alembic` as a command, which is
    not on PATH when the venv's `autograder` is called by its path without activating the venv."""
    folder = str(Path(sys.executable).parent)
    paths = os.environ.get("PATH", "").split(os.pathsep)
    if paths[:1] != [folder]:
        os.environ["PATH"] = os.pathsep.join([folder, *[c for c in paths if c != folder]])


def environnement_nbgrader() -> dict[str, str]:
    """The environment for an nbgrader subprocess: this interpreter's scripts folder first on PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def url_gradebook(root: Path) -> str:
    """The course's db_url as nbgrader_config.py sets it (sqlite:///<root>/gradebook.db by default)."""
    nbgrader_light()
    from traitlets.config.loader import PyFileConfigLoader

    conf = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    url = conf.get("CourseDirectory", {}).get("db_url")
    return str(url) if url else f"sqlite:///{root / 'gradebook.db'}"


def generate_release(root: Path, assignment_id: str) -> None:
    """Run nbgrader's own generate_assignment (it also registers the notebook and grade cells in the gradebook)."""
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment_id, "--force",
                    "--log-level=ERROR"], cwd=root, check=True, env=environnement_nbgrader(),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _graded_cells(assignment: Assignment) -> dict[str, float]:
    """grade_id -> points of every grade cell of the source notebook."""
    nb = json.loads(assignment.notebook_source.read_text(encoding="utf-8"))
    metas = (nbgrader_meta(c) for c in nb["cells"])
    return {m["grade_id"]: float(m.get("points", 0)) for m in metas if m.get("grade")}


def release_up_to_date(url: str, assignment: Assignment) -> bool:
    """The gradebook knows this assignment's notebook with the source's grade cells and points."""
    nbgrader_light()
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(url) as gb:
        try:
            nb = gb.find_notebook(assignment.id, assignment.id)
        except MissingEntry:
            return False
        known = {g.name: float(g.max_score) for g in nb.grade_cells}
    return known == _graded_cells(assignment)


def ensure_assignment(root: Path, assignment: Assignment, url: str) -> None:
    """Register the assignment with nbgrader (generate_assignment) unless the gradebook is already up to date."""
    if not release_up_to_date(url, assignment):
        generate_release(root, assignment.id)


def _timestamp(folder: Path) -> datetime | None:
    """The submission time nbgrader reads from timestamp.txt, if the submission has one."""
    from nbgrader.utils import parse_utc

    f = folder / "timestamp.txt"
    if not f.is_file():
        return None
    try:
        return parse_utc(f.read_text(encoding="utf-8").strip())
    except (ValueError, OverflowError):
        return None


class _Shared:
    """Stands in for nbgrader.api.Gradebook inside nbgrader's preprocessors during one record: they use the
    batch's open gradebook instead of opening (and migrating, inspecting) a new one for every notebook."""

    def __init__(self, gb: Any) -> None:
        self.gb = gb

    def __call__(self, *_: Any, **__: Any) -> "_Shared":
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
        self._validators: dict[str, Any] = {}

    def __getattr__(self, nom: str) -> Any:
        return getattr(self._module, nom)

    def validate(self, instance: Any, schema: dict) -> None:
        key_name = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key_name)
        if validator is None:
            klass = self._module.validators.validator_for(schema)
            klass.check_schema(schema)
            validator = self._validators[key_name] = klass(schema)
        error = self._module.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error


class Recorder:
    """Records results as `nbgrader autograde` would: student, submission and timestamp, the autograded
    notebook (sanitized by nbgrader's own preprocessors, test cells carrying the engine's scores), then
    nbgrader's SaveAutoGrades and AssignLatePenalties on it. Formgrader then lists the submission as
    autograded, with hand-graded cells waiting in Manual Grading."""

    def __init__(self, root: Path, assignment: Assignment, url: str) -> None:
        nbgrader_light()
        from nbgrader.api import Gradebook
        from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds,
                                            LimitOutput, OverwriteCells, OverwriteKernelspec, SaveAutoGrades)

        self.root, self.assignment, self.url = root, assignment, url
        self.gb = Gradebook(url)
        self.cleanup = [ClearOutput(), DeduplicateIds(), OverwriteKernelspec(), OverwriteCells(),
                          CheckCellMetadata()]
        # nbgrader's autograde pipeline ends with a second CheckCellMetadata: the test cells' outputs are ours,
        # and the metadata was validated above, so it is left out (it is the slowest step of a record).
        self.grading = [LimitOutput(), SaveAutoGrades(), AssignLatePenalties()]
        import nbgrader.preprocessors.latesubmissions as late
        import nbgrader.preprocessors.overwritecells as overwrite
        import nbgrader.preprocessors.overwritekernelspec as kernel
        import nbgrader.preprocessors.saveautogrades as backup
        self._modules = (overwrite, kernel, backup, late)
        from nbgrader.nbgraderformat import common
        self._schemas = _SchemasCompiles(common.jsonschema)
        ignores = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.ipynb"]
        source = assignment.notebook_source.parent
        self.files_source = [f for f in source.rglob("*") if f.is_file()
                                and not any(f.match(m) or m in f.parts for m in ignores)]

    def close(self) -> None:
        self.gb.close()

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _resources(self, etudiant: str) -> dict[str, Any]:
        return {"unique_key": self.assignment.id, "nbgrader": {"student": etudiant, "assignment": self.assignment.id,
                                                          "notebook": self.assignment.id, "db_url": self.url}}

    def record(self, etudiant: str, path: Path, resultat: GradeResult) -> None:
        """Record one submission (idempotent: a second call with the same result changes nothing)."""
        from nbgrader.nbgraderformat import common

        shared = _Shared(self.gb)
        originals = [m.Gradebook for m in self._modules]
        validation = common.jsonschema
        for m in self._modules:
            m.Gradebook = shared
        common.jsonschema = self._schemas
        try:
            self._record(etudiant, path, resultat)
        finally:
            common.jsonschema = validation
            for m, g in zip(self._modules, originals):
                m.Gradebook = g

    def _record(self, etudiant: str, path: Path, resultat: GradeResult) -> None:
        import nbformat

        from .nbgrader_execution import fill_outputs, restore_tests_removed

        assignment, gb = self.assignment, self.gb
        folder = path.parent
        horodatage = _timestamp(folder) if folder.name == assignment.id else None
        gb.update_or_create_student(etudiant)
        if horodatage is not None:
            gb.update_or_create_submission(assignment.id, etudiant, timestamp=horodatage)
        else:
            gb.update_or_create_submission(assignment.id, etudiant)
        gb.db.commit()

        target_value = self.root / "autograded" / etudiant / assignment.id
        target_value.mkdir(parents=True, exist_ok=True)
        if folder.name == assignment.id:  # nbgrader's layout: the submission's other files come along
            for f in folder.iterdir():
                # Never a link: it could bring a hidden grader or a classmate's file into the student's feedback.
                if f.is_file() and not f.is_symlink() and f.suffix != ".ipynb":
                    shutil.copy(f, target_value / f.name)
        for f in self.files_source:
            dest = target_value / f.relative_to(assignment.notebook_source.parent)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, dest)

        readable = True
        try:
            if path.is_symlink():
                raise OSError(f"{path.name} is a symbolic link")
            nb = nbformat.read(path, as_version=4)
            resources = self._resources(etudiant)
            for p in self.cleanup:
                nb, resources = p.preprocess(nb, resources)
        except Exception as e:  # noqa: BLE001 - unreadable or malformed: graded from the blank release
            log.info("%s / %s: notebook unusable by nbgrader (%s: %s); recorded from the release",
                     etudiant, assignment.id, type(e).__name__, e)
            readable = False
            nb = nbformat.read(self.root / "release" / assignment.id / f"{assignment.id}.ipynb", as_version=4)
        restore_tests_removed(nb, assignment)
        fill_outputs(nb, resultat)
        resources = self._resources(etudiant)
        for p in self.grading:
            nb, resources = p.preprocess(nb, resources)
        if not readable:  # as nbgrader does for a missing notebook: zero everywhere, nothing to grade by hand
            sub = gb.find_submission_notebook(assignment.id, assignment.id, etudiant)
            for note in sub.grades:
                if tested_task(note.name) is None:
                    note.auto_score = 0
                    note.needs_manual_grade = False
            gb.db.commit()
        nbformat.write(nb, target_value / f"{assignment.id}.ipynb")
        if horodatage is None:
            (target_value / "timestamp.txt").unlink(missing_ok=True)
