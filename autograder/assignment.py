"""An assignment as the engine sees it: tasks, points, time limits and the checks of its hidden grader."""
from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

MSG_ROOT = ("Aucun nbgrader_config.py trouvé dans {dossier} ni au-dessus : lancez la commande depuis la "
              "racine du cours (le dossier qui contient nbgrader_config.py).")
MSG_UNKNOWN_ASSIGNMENT = "Devoir inconnu : {id!r} (devoirs disponibles : {connus})."


class AssignmentError(Exception):
    """The course's own files are wrong (not the student's fault)."""


@dataclass(frozen=True)
class HiddenCheck:
    """One check of a hidden grader: a pytest function marked with its task and weight."""

    id: str
    task: str
    poids: float
    nom: str


@dataclass(frozen=True)
class GradedTask:
    id: str
    points: float
    delai: float
    hidden_checks: tuple[HiddenCheck, ...]


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    root: Path
    grader: Path
    taches: tuple[GradedTask, ...]
    lms: dict = field(default_factory=dict)  # [lms] table of bareme.toml: canvas_id, titre_canvas...
    # [correction_manuelle] of bareme.toml: grade_id -> points of the cells a TA grades by hand (not the engine's).
    manual_cells: dict = field(default_factory=dict)

    @property
    def notebook_source(self) -> Path:
        return self.root / "source" / self.id / f"{self.id}.ipynb"

    @property
    def public_files(self) -> list[Path]:
        """Modules shipped beside the release notebook (public): a jail gets a read-only copy."""
        return sorted((self.root / "release" / self.id).glob("*.py"))

    @property
    def points(self) -> float:
        return sum(t.points for t in self.taches)

    @property
    def points_total(self) -> float:
        """The assignment's maximum as nbgrader's gradebook counts it: autograded plus hand-graded points."""
        return self.points + sum(self.manual_cells.values())

    def task(self, tid: str) -> GradedTask:
        for t in self.taches:
            if t.id == tid:
                return t
        raise KeyError(tid)


def find_root(start: Path | None = None) -> Path:
    """The course root: the nearest folder at or above ``depart`` holding nbgrader_config.py."""
    folder = (start or Path.cwd()).resolve()
    for d in (folder, *folder.parents):
        if (d / "nbgrader_config.py").is_file():
            return d
    raise AssignmentError(MSG_ROOT.format(dossier=folder))


def available_assignments(root: Path) -> list[str]:
    return sorted(p.parent.name for p in (root / "assignments").glob("*/bareme.toml"))


def _checks(file_path: Path) -> list[HiddenCheck]:
    """Read the checks statically (ast): the hidden grader is never imported by the deciding process."""
    tree = ast.parse(file_path.read_text(encoding="utf-8"), filename=str(file_path))
    resultat = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
            continue
        for deco in node.decorator_list:
            if (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute) and deco.func.attr == "tache"):
                task = ast.literal_eval(deco.args[0])
                poids = next((ast.literal_eval(k.value) for k in deco.keywords if k.arg == "poids"), 1)
                doc = (ast.get_docstring(node) or node.name).strip().splitlines()[0]
                resultat.append(HiddenCheck(node.name, task, float(poids), doc))
                break
        else:
            raise AssignmentError(f"Check {node.name} in {file_path} has no @pytest.mark.tache(...) marker")
    return resultat


def load_assignment(root: Path, assignment_id: str) -> Assignment:
    root = root.resolve()
    folder = root / "assignments" / assignment_id
    rubric = folder / "bareme.toml"
    if not rubric.is_file():
        raise AssignmentError(MSG_UNKNOWN_ASSIGNMENT.format(id=assignment_id, connus=", ".join(available_assignments(root))))
    conf = tomllib.loads(rubric.read_text(encoding="utf-8"))
    graders = sorted(folder.glob("test_*.py"))
    if len(graders) != 1:
        raise AssignmentError(f"Expected exactly one hidden grader test_*.py in {folder}, found {len(graders)}")
    checks = _checks(graders[0])
    default_timeout = float(conf.get("delai_tache", 10))
    taches = []
    for tid, t in conf.get("taches", {}).items():
        points = t.get("points")
        if not isinstance(points, (int, float)) or points <= 0:
            raise AssignmentError(f"Invalid points {points!r} for task {tid} in {rubric}")
        its_own = tuple(v for v in checks if v.task == tid)
        if not its_own:
            raise AssignmentError(f"Task {tid} in {rubric} has no check in {graders[0].name}")
        taches.append(GradedTask(tid, float(points), float(t.get("delai", default_timeout)), its_own))
    orphans = {v.task for v in checks} - {t.id for t in taches}
    if orphans:
        raise AssignmentError(f"Checks of {graders[0]} name tasks missing from {rubric}: {sorted(orphans)}")
    return Assignment(assignment_id, str(conf.get("titre", assignment_id)), root, graders[0], tuple(taches),
                  dict(conf.get("lms", {})),
                  {k: float(v["points"]) for k, v in conf.get("correction_manuelle", {}).items()})
