"""An assignment as the engine sees it: tasks, points, time limits and the checks of its hidden grader."""
from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

MSG_RACINE = ("Aucun nbgrader_config.py trouvé dans {dossier} ni au-dessus : lancez la commande depuis la "
              "racine du cours (le dossier qui contient nbgrader_config.py).")
MSG_DEVOIR_INCONNU = "Devoir inconnu : {id!r} (devoirs disponibles : {connus})."


class ErreurDevoir(Exception):
    """The course's own files are wrong (not the student's fault)."""


@dataclass(frozen=True)
class Verification:
    """One check of a hidden grader: a pytest function marked with its task and weight."""

    id: str
    tache: str
    poids: float
    nom: str


@dataclass(frozen=True)
class Tache:
    id: str
    points: float
    delai: float
    verifications: tuple[Verification, ...]


@dataclass(frozen=True)
class Devoir:
    id: str
    titre: str
    racine: Path
    correcteur: Path
    taches: tuple[Tache, ...]
    lms: dict = field(default_factory=dict)  # [lms] table of bareme.toml: canvas_id, titre_canvas...
    # [correction_manuelle] of bareme.toml: grade_id -> points of the cells a TA grades by hand (not the engine's).
    manuelles: dict = field(default_factory=dict)

    @property
    def notebook_source(self) -> Path:
        return self.racine / "source" / self.id / f"{self.id}.ipynb"

    @property
    def fichiers_publics(self) -> list[Path]:
        """Modules shipped beside the release notebook (public): a jail gets a read-only copy."""
        return sorted((self.racine / "release" / self.id).glob("*.py"))

    @property
    def points(self) -> float:
        return sum(t.points for t in self.taches)

    @property
    def points_total(self) -> float:
        """The assignment's maximum as nbgrader's gradebook counts it: autograded plus hand-graded points."""
        return self.points + sum(self.manuelles.values())

    def tache(self, tid: str) -> Tache:
        for t in self.taches:
            if t.id == tid:
                return t
        raise KeyError(tid)


def trouver_racine(depart: Path | None = None) -> Path:
    """The course root: the nearest folder at or above ``depart`` holding nbgrader_config.py."""
    dossier = (depart or Path.cwd()).resolve()
    for d in (dossier, *dossier.parents):
        if (d / "nbgrader_config.py").is_file():
            return d
    raise ErreurDevoir(MSG_RACINE.format(dossier=dossier))


def devoirs_disponibles(racine: Path) -> list[str]:
    return sorted(p.parent.name for p in (racine / "assignments").glob("*/bareme.toml"))


def _verifications(fichier: Path) -> list[Verification]:
    """Read the checks statically (ast): the hidden grader is never imported by the deciding process."""
    arbre = ast.parse(fichier.read_text(encoding="utf-8"), filename=str(fichier))
    resultat = []
    for noeud in arbre.body:
        if not isinstance(noeud, ast.FunctionDef) or not noeud.name.startswith("test_"):
            continue
        for deco in noeud.decorator_list:
            if (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute) and deco.func.attr == "tache"):
                tache = ast.literal_eval(deco.args[0])
                poids = next((ast.literal_eval(k.value) for k in deco.keywords if k.arg == "poids"), 1)
                doc = (ast.get_docstring(noeud) or noeud.name).strip().splitlines()[0]
                resultat.append(Verification(noeud.name, tache, float(poids), doc))
                break
        else:
            raise ErreurDevoir(f"Check {noeud.name} in {fichier} has no @pytest.mark.tache(...) marker")
    return resultat


def charger_devoir(racine: Path, devoir_id: str) -> Devoir:
    racine = racine.resolve()
    dossier = racine / "assignments" / devoir_id
    bareme = dossier / "bareme.toml"
    if not bareme.is_file():
        raise ErreurDevoir(MSG_DEVOIR_INCONNU.format(id=devoir_id, connus=", ".join(devoirs_disponibles(racine))))
    conf = tomllib.loads(bareme.read_text(encoding="utf-8"))
    correcteurs = sorted(dossier.glob("test_*.py"))
    if len(correcteurs) != 1:
        raise ErreurDevoir(f"Expected exactly one hidden grader test_*.py in {dossier}, found {len(correcteurs)}")
    verifs = _verifications(correcteurs[0])
    delai_defaut = float(conf.get("delai_tache", 10))
    taches = []
    for tid, t in conf.get("taches", {}).items():
        points = t.get("points")
        if not isinstance(points, (int, float)) or points <= 0:
            raise ErreurDevoir(f"Invalid points {points!r} for task {tid} in {bareme}")
        siennes = tuple(v for v in verifs if v.tache == tid)
        if not siennes:
            raise ErreurDevoir(f"Task {tid} in {bareme} has no check in {correcteurs[0].name}")
        taches.append(Tache(tid, float(points), float(t.get("delai", delai_defaut)), siennes))
    orphelines = {v.tache for v in verifs} - {t.id for t in taches}
    if orphelines:
        raise ErreurDevoir(f"Checks of {correcteurs[0]} name tasks missing from {bareme}: {sorted(orphelines)}")
    return Devoir(devoir_id, str(conf.get("titre", devoir_id)), racine, correcteurs[0], tuple(taches),
                  dict(conf.get("lms", {})),
                  {k: float(v["points"]) for k, v in conf.get("correction_manuelle", {}).items()})
