"""Grading results as small dataclasses, their JSON form (SPEC §3), the one reader of it and the scoring rule."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .assignment import Assignment

# The shapes a result takes between the grading process and an LMS (each arrow is one conversion):
#  1. plugin.Greffon (grading process): pytest outcomes -> JSON lines on the channel
#     ({"type": "debut" | "resultat" | "incident" | "fin", "verification": <test function>, ...})
#  2. sandbox._lire: those lines -> sandbox.Rapport (check -> (passed, message), incidents, RunStatus)
#  3. engine.noter_notebook: every run's Rapport -> GradeResult (TaskResult, Check with its stable id)
#  4. manual.avec_manuel: GradeResult with the hand-graded points added to its maximum
#  5. GradeResult.to_dict: SPEC §3's dict (`autograder grade --json`); batch adds "_incidents", "duration"
#     and "_empreinte" beside it and writes resultats/<id>/<student>.json
#  6. read_result: any such dict or file -> GradeResult again (batch, exports, class report, tests)
#  7. gradebook.Enregistreur: GradeResult -> nbgrader's autograded notebook and gradebook grades
#  8. lms.export / lms.lti: gradebook rows -> Canvas/Moodle/CSV files, LTI scores; Moodle's comments and
#     the class report read the result files through read_result; lms.gradescope: GradeResult -> results.json


class Incident(StrEnum):
    """What the TA should look at beyond the score; the values are the codes stored in result files."""

    TIMEOUT = "delai"        # a task hung
    CRASH = "plantage"       # the run crashed
    TAMPERING = "alteration"  # the submission reached for the grader's internals


def check_id(task: str, function: str) -> str:
    """A check's stable id: its task and the hidden grader's test function (the pytest node's name)."""
    return f"{task}.{function}"


@dataclass
class Check:
    name: str  # French, for the student: the first line of the check's docstring
    passed: bool
    message: str = ""
    id: str = ""  # check_id(): stable across runs and wording changes; not part of SPEC §3's shape


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
    # Not part of SPEC §3's minimum: batch files keep incidents beside it (``_incidents``), with ``duration``.
    incidents: list[Incident] = field(default_factory=list)
    duration: float | None = None  # real seconds a batch took on this submission (None: not recorded)

    def to_dict(self) -> dict[str, Any]:
        """SPEC §3's shape exactly; incidents are kept apart (``_incidents``) by whoever stores results."""
        d = asdict(self)
        del d["incidents"], d["duration"]
        for t in d["tasks"]:
            for c in t["checks"]:
                del c["id"]
        return d


def _incidents(codes: list[Any]) -> list[Incident]:
    known = {i.value for i in Incident}
    return [Incident(str(c)) for c in codes if str(c) in known]


def read_result(source: Path | str | dict[str, Any], assignment: Assignment | None = None) -> GradeResult:
    """The one reader of a stored result: SPEC §3's dict, or a file holding one (batch extras included).

    With ``assignment``, each check gets back its stable id: a task's checks are stored in the order of
    its verifications."""
    d = source if isinstance(source, dict) else json.loads(Path(source).read_text(encoding="utf-8"))
    hidden_checks = {t.id: t.hidden_checks for t in assignment.taches} if assignment is not None else {}
    tasks = []
    for t in d["tasks"]:
        checks = [Check(str(c["name"]), bool(c["passed"]), str(c.get("message", ""))) for c in t.get("checks", [])]
        known = hidden_checks.get(t["id"], ())
        if len(known) == len(checks):
            for c, v in zip(checks, known):
                c.id = check_id(t["id"], v.id)
        tasks.append(TaskResult(t["id"], float(t["score"]), float(t["max_score"]), checks))
    duration = d.get("duration")
    return GradeResult(d["assignment"], float(d["score"]), float(d["max_score"]), tasks, list(d.get("errors", [])),
                       _incidents(d.get("_incidents", d.get("incidents", []))),
                       None if duration is None else float(duration))


def task_score(points: float, passed_weight: float, total_weight: float) -> float:
    """The only scoring rule: points in proportion to the weight of passed checks, to the hundredth."""
    if total_weight <= 0:
        return 0.0
    return round(points * passed_weight / total_weight, 2)


def total(taches: list[TaskResult]) -> float:
    return round(sum(t.score for t in taches), 2)
