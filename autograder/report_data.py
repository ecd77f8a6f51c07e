"""The class report's numbers: scores from nbgrader's gradebook, checks, durations and incidents from results."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .assignment import Devoir
from .notebook import id_test
from .results import GradeResult, Incident, check_id, read_result

# Incidents of results.GradeResult, as the TA reads them.
INCIDENTS = {Incident.TIMEOUT: "délai dépassé", Incident.CRASH: "plantage",
             Incident.TAMPERING: "altération du correcteur"}
# For results written before the engine filled ``incidents``: the engine's error sentence that means each one.
MESSAGES_INCIDENTS = {Incident.TIMEOUT: "MSG_DELAI_TACHE", Incident.CRASH: "MSG_PLANTAGE",
                      Incident.TAMPERING: "MSG_CANAL"}


def incidents_de(resultat: GradeResult) -> list[Incident]:
    """The result's incidents; when it has none recorded, those its error sentences name."""
    if resultat.incidents:
        return list(resultat.incidents)
    from . import engine

    trouves = []
    for code, constante in MESSAGES_INCIDENTS.items():
        modele = getattr(engine, constante, None)
        if not modele:
            continue
        motif = re.compile(".*".join(re.escape(p) for p in re.split(r"\{[^}]*\}", modele)), re.S)
        if any(motif.match(e) for e in resultat.errors):
            trouves.append(code)
    return trouves


@dataclass
class Ligne:
    """One submission in the class report."""

    etudiant: str
    score: float
    max_score: float
    taches: dict[str, float]
    a_corriger: bool  # hand-graded cells waiting in formgrader's Manual Grading
    duree: float | None = None
    incidents: list[Incident] = field(default_factory=list)
    erreurs: list[str] = field(default_factory=list)
    retour: str = ""  # the feedback page, relative to the report


@dataclass
class Classe:
    devoir: Devoir
    lignes: list[Ligne]
    echecs: dict[str, tuple[int, int]]  # check id -> (failed, graded), in the checks' order
    labels: dict[str, str] = field(default_factory=dict)  # check id -> "task — check name", for the TA

    @property
    def scores(self) -> list[float]:
        return [ligne.score for ligne in self.lignes]

    @property
    def max_score(self) -> float:
        return max((ligne.max_score for ligne in self.lignes), default=self.devoir.points_total)

    @property
    def avec_incident(self) -> list[Ligne]:
        return [ligne for ligne in self.lignes if ligne.incidents]


def charger_classe(racine: Path, devoir: Devoir, gb) -> Classe:
    """Every submission of ``devoir`` in the gradebook, with its engine result when there is one."""
    from nbgrader.api import MissingEntry

    dossier = racine / "resultats" / devoir.id
    lignes = []
    # Counted by stable check id; labelled "task — check name" for the TA.
    labels: dict[str, str] = {}
    echecs: dict[str, list[int]] = {}
    for t in devoir.taches:
        for v in t.verifications:
            labels[check_id(t.id, v.id)] = f"{t.id} — {v.nom}"
            echecs[check_id(t.id, v.id)] = [0, 0]
    for sub in sorted(gb.assignment_submissions(devoir.id), key=lambda s: s.student.id):
        etudiant = sub.student.id
        taches = {}
        for t in devoir.taches:
            try:
                taches[t.id] = float(gb.find_grade(id_test(t.id), devoir.id, devoir.id, etudiant).score)
            except MissingEntry:
                taches[t.id] = 0.0
        ligne = Ligne(etudiant, round(float(sub.score), 2), round(float(sub.max_score), 2), taches,
                      bool(sub.needs_manual_grade))
        f = dossier / f"{etudiant}.json"
        if f.is_file():
            r = read_result(f, devoir)
            ligne.duree = r.duration
            ligne.incidents = incidents_de(r)
            ligne.erreurs = [e.splitlines()[0] for e in r.errors if e]
            if (dossier / f"{etudiant}.html").is_file():
                ligne.retour = f"{etudiant}.html"
            for t in r.tasks:
                for c in t.checks:
                    cle = c.id or f"{t.id} — {c.name}"  # no id: written for another version of the grader
                    labels.setdefault(cle, f"{t.id} — {c.name}")
                    compte = echecs.setdefault(cle, [0, 0])
                    compte[1] += 1
                    compte[0] += 0 if c.passed else 1
        lignes.append(ligne)
    return Classe(devoir, lignes, {k: (v[0], v[1]) for k, v in echecs.items()}, labels)
