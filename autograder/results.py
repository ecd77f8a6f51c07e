"""Grading results as small dataclasses, their JSON form (SPEC §3) and the one scoring rule."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Check:
    name: str
    passed: bool
    message: str = ""


@dataclass
class TaskResult:
    id: str
    score: float
    max_score: float
    checks: list[Check] = field(default_factory=list)


@dataclass
class GradeResult:
    assignment: str
    score: float
    max_score: float
    tasks: list[TaskResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # What the TA should look at, beyond the score: "delai" (a task hung), "plantage" (the run crashed),
    # "alteration" (the submission reached for the grader's internals). Not part of SPEC §3's minimum.
    incidents: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """SPEC §3's shape exactly; incidents are kept apart (``_incidents``) by whoever stores results."""
        d = asdict(self)
        del d["incidents"]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "GradeResult":
        taches = [TaskResult(t["id"], float(t["score"]), float(t["max_score"]),
                             [Check(**c) for c in t.get("checks", [])]) for t in d["tasks"]]
        return cls(d["assignment"], float(d["score"]), float(d["max_score"]), taches, list(d.get("errors", [])),
                   [str(i) for i in d.get("_incidents", d.get("incidents", []))])


def score_tache(points: float, poids_reussis: float, poids_total: float) -> float:
    """The only scoring rule: points in proportion to the weight of passed checks, to the hundredth."""
    if poids_total <= 0:
        return 0.0
    return round(points * poids_reussis / poids_total, 2)


def total(taches: list[TaskResult]) -> float:
    return round(sum(t.score for t in taches), 2)
