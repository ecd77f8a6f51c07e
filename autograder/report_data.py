"""The class report's numbers: scores from nbgrader's gradebook, checks, durations and incidents from results."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .assignment import Assignment
from .notebook import test_grade_id
from .results import GradeResult, Incident, check_id, read_result

# Incidents of results.GradeResult, as the TA reads them.
INCIDENTS = {Incident.TIMEOUT: "délai dépassé", Incident.CRASH: "plantage",
             Incident.TAMPERING: "altération du correcteur"}
# For results written before the engine filled ``incidents``: the engine's error sentence that means each one.
MESSAGES_INCIDENTS = {Incident.TIMEOUT: "MSG_DELAI_TACHE", Incident.CRASH: "MSG_PLANTAGE",
                      Incident.TAMPERING: "MSG_CANAL"}


def incidents_of(resultat: GradeResult) -> list[Incident]:
    """The result's incidents; when it has none recorded, those its error sentences name."""
    if resultat.incidents:
        return list(resultat.incidents)
    from . import engine

    found = []
    for code, constant in MESSAGES_INCIDENTS.items():
        template = getattr(engine, constant, None)
        if not template:
            continue
        pattern = re.compile(".*".join(re.escape(p) for p in re.split(r"\{[^}]*\}", template)), re.S)
        if any(pattern.match(e) for e in resultat.errors):
            found.append(code)
    return found


@dataclass
class Line:
    """One submission in the class report."""

    etudiant: str
    score: float
    max_score: float
    taches: dict[str, float]
    to_grade: bool  # hand-graded cells waiting in formgrader's Manual Grading
    duree: float | None = None
    incidents: list[Incident] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retour: str = ""  # the feedback page, relative to the report


@dataclass
class Class:
    assignment: Assignment
    lignes: list[Line]
    failed_checks: dict[str, tuple[int, int]]  # check id -> (failed, graded), in the checks' order
    labels: dict[str, str] = field(default_factory=dict)  # check id -> "task — check name", for the TA

    @property
    def scores(self) -> list[float]:
        return [line.score for line in self.lignes]

    @property
    def max_score(self) -> float:
        return max((line.max_score for line in self.lignes), default=self.assignment.points_total)

    @property
    def with_incident(self) -> list[Line]:
        return [line for line in self.lignes if line.incidents]


def load_class(root: Path, assignment: Assignment, gb) -> Class:
    """Every submission of ``devoir`` in the gradebook, with its engine result when there is one."""
    from nbgrader.api import MissingEntry

    folder = root / "resultats" / assignment.id
    lignes = []
    # Counted by stable check id; labelled "task — check name" for the TA.
    labels: dict[str, str] = {}
    failed_checks: dict[str, list[int]] = {}
    for t in assignment.taches:
        for v in t.hidden_checks:
            labels[check_id(t.id, v.id)] = f"{t.id} — {v.nom}"
            failed_checks[check_id(t.id, v.id)] = [0, 0]
    for sub in sorted(gb.assignment_submissions(assignment.id), key=lambda s: s.student.id):
        etudiant = sub.student.id
        taches = {}
        for t in assignment.taches:
            try:
                taches[t.id] = float(gb.find_grade(test_grade_id(t.id), assignment.id, assignment.id, etudiant).score)
            except MissingEntry:
                taches[t.id] = 0.0
        line = Line(etudiant, round(float(sub.score), 2), round(float(sub.max_score), 2), taches,
                      bool(sub.needs_manual_grade))
        f = folder / f"{etudiant}.json"
        if f.is_file():
            r = read_result(f, assignment)
            line.duree = r.duration
            line.incidents = incidents_of(r)
            line.errors = [e.splitlines()[0] for e in r.errors if e]
            if (folder / f"{etudiant}.html").is_file():
                line.retour = f"{etudiant}.html"
            for t in r.tasks:
                for c in t.checks:
                    key_name = c.id or f"{t.id} — {c.name}"  # no id: written for another version of the grader
                    labels.setdefault(key_name, f"{t.id} — {c.name}")
                    compte = failed_checks.setdefault(key_name, [0, 0])
                    compte[1] += 1
                    compte[0] += 0 if c.passed else 1
        lignes.append(line)
    return Class(assignment, lignes, {k: (v[0], v[1]) for k, v in failed_checks.items()}, labels)
