"""Grade one submitted notebook: read it, run its tasks in sandbox children, score every check."""
from __future__ import annotations

import time
from pathlib import Path

from . import bytecode
from .assignment import Assignment
from .notebook import read_submission
from .redaction import Redactor
from .jail import check_jail
from .probes.api import MSG_TIMEOUT as MSG_DELAI_TACHE  # one sentence for a task out of time, wherever it is seen
from .request import GradingRequest
from .results import Check, GradeResult, Incident, TaskResult, check_id, task_score
from .results import total as total_sum
from .sandbox import SandboxReport, RunStatus, run_sandboxed

MSG_PLANTAGE = ("Le processus de correction s'est arrêté brutalement pendant « {tache} » ({detail}) : "
                "votre code a quitté Python (os._exit, signal, mémoire épuisée ?). Retirez ce qui termine "
                "le programme.")
MSG_CANAL = ("La correction de « {tache} » a reçu des données invalides ({detail}) : votre code ne doit pas "
             "écrire dans les canaux internes du correcteur.")
MSG_NOT_REACHED = "Vérification non exécutée : la correction s'est arrêtée avant (voir les autres messages)."
MSG_FATAL_TASK = "Non noté : {raison}"
MSG_TOTAL_TIMEOUT = ("La correction de votre notebook a dépassé sa durée totale ({delai:g} s) et a été arrêtée : "
                   "cherchez une boucle sans fin ou une attente qui ne se termine jamais.")
MARGIN_TOTAL = 30.0  # real seconds for starting processes and jails, beyond the sum of the tasks' limits


def _stop_message(report: SandboxReport, task: str, delai: float, total_exceeded: bool, total: float) -> str:
    if total_exceeded:
        return MSG_TOTAL_TIMEOUT.format(delai=total)
    if report.statut is RunStatus.TIMEOUT:
        return MSG_DELAI_TACHE.format(tache=task, delai=delai)
    if report.statut is RunStatus.CHANNEL:
        return MSG_CANAL.format(tache=task, detail=report.detail)
    detail = f"signal {report.detail}" if report.statut is RunStatus.SIGNAL else f"code de sortie {report.detail}"
    return MSG_PLANTAGE.format(tache=task, detail=detail)


def empty_result(assignment: Assignment, reason: str) -> GradeResult:
    """Every task at zero with ``raison``: the notebook itself could not be used."""
    taches = [TaskResult(t.id, 0.0, t.points, [Check(v.nom, False, MSG_FATAL_TASK.format(raison=reason),
                                                     check_id(t.id, v.id)) for v in t.hidden_checks])
              for t in assignment.taches]
    return GradeResult(assignment.id, 0.0, assignment.points, taches, [reason])


def grade_notebook(path: Path, assignment: Assignment, *, taches: list[str] | None = None,
                   mode: str | None = None) -> GradeResult:
    """The SPEC §3 result for ``chemin``; never raises because of what the notebook contains."""
    reading = read_submission(path, assignment.notebook_source)
    if reading.fatal:
        return empty_result(assignment, reading.fatal)
    check_jail()  # refuses to grade (instructor-facing error) where the jail cannot start
    bytecode.module(assignment.grader)
    redact = Redactor([assignment.grader])
    chosen = [t for t in assignment.taches if taches is None or t.id in taches]
    task_of = {v.id: t.id for t in chosen for v in t.hidden_checks}
    timeouts = {t.id: t.delai for t in chosen}
    verdicts: dict[str, tuple[bool, str]] = {}
    errors = list(reading.errors)
    todo = [t.id for t in chosen]
    incidents: list[Incident] = []
    total = sum(timeouts.values()) + MARGIN_TOTAL
    # One overall deadline per submission: nothing a grading process reports can extend it.
    total_deadline = time.monotonic() + total
    public = tuple(sorted(str(f) for f in assignment.public_files))
    while todo:
        request = GradingRequest(reading.cellules, reading.order, tuple(todo), str(assignment.grader),
                                 {t: timeouts[t] for t in todo}, public)
        report = run_sandboxed(request, timeouts, task_of, mode, total_deadline)
        verdicts.update(report.resultats)
        incidents += [i for i in report.incidents if i not in incidents]
        total_exceeded = time.monotonic() >= total_deadline
        if report.fin and report.statut is RunStatus.OK:
            break
        running = report.running
        remaining = [t for t in todo if any(v.id not in verdicts for v in assignment.task(t).hidden_checks)]
        if not remaining:
            break
        # The task that was running pays (or the first one left, if the child died before any check).
        task = task_of[running] if running is not None else remaining[0]
        message = _stop_message(report, task, timeouts[task], total_exceeded, total)
        incident = (Incident.TIMEOUT if report.statut is RunStatus.TIMEOUT
                    else Incident.TAMPERING if report.statut is RunStatus.CHANNEL else Incident.CRASH)
        if incident not in incidents:
            incidents.append(incident)
        for v in assignment.task(task).hidden_checks:
            verdicts.setdefault(v.id, (False, message))
        errors.append(message)
        todo = [] if total_exceeded else [t for t in remaining if t != task]
    resultats = []
    for t in chosen:
        checks = []
        for v in t.hidden_checks:
            has_passed, message = verdicts.get(v.id, (False, MSG_NOT_REACHED))
            checks.append(Check(v.nom, has_passed, redact(message), check_id(t.id, v.id)))
        weight_ok = sum(v.poids for v, c in zip(t.hidden_checks, checks) if c.passed)
        poids = sum(v.poids for v in t.hidden_checks)
        resultats.append(TaskResult(t.id, task_score(t.points, weight_ok, poids), t.points, checks))
    return GradeResult(assignment.id, total_sum(resultats), sum(t.points for t in chosen), resultats,
                       [redact(e) for e in errors], incidents)
