"""One batch as the TA runs it: grade, record in nbgrader's gradebook and autograded/, feedback, class report."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .assignment import Assignment
from .batch import Copy, grade_batch
from .journal import log_path
from .results import GradeResult


@dataclass
class Summary:
    """What a batch did: every result (resumed ones included), who was graded now, where things are."""

    resultats: dict[str, GradeResult] = field(default_factory=dict)
    graded: set[str] = field(default_factory=set)
    url: str = ""
    report: Path | None = None
    csv: Path | None = None


def already_recorded(root: Path, assignment: Assignment, gb) -> set[str]:
    """Students whose submission nbgrader already counts as autograded (formgrader's own criterion)."""
    from nbgrader.api import Student, SubmittedAssignment

    lignes = (gb.db.query(Student.id).join(SubmittedAssignment)
              .filter(SubmittedAssignment.name == assignment.id).all())
    return {s for (s,) in lignes if (root / "autograded" / s / assignment.id / f"{assignment.id}.ipynb").is_file()}


def run_batch(root: Path, assignment: Assignment, copies: list[Copy], jobs: int = 0, show: bool = True) -> Summary:
    """Grade ``copies`` (resumably), keep nbgrader's picture complete, write the class report.
    Raises batch.Interrompu on Ctrl-C; what was graded until then is saved and recorded."""
    from .gradebook import Recorder, ensure_assignment, url_gradebook

    output = root / "resultats" / assignment.id
    campaign_summary = Summary()
    state: dict = {}

    def prepare() -> None:  # runs while the workers grade the first copies
        campaign_summary.url = url_gradebook(root)
        ensure_assignment(root, assignment, campaign_summary.url)
        state["enr"] = Recorder(root, assignment, campaign_summary.url)
        state["deja"] = already_recorded(root, assignment, state["enr"].gb)

    def to_result(submission_copy: Copy, r: GradeResult) -> None:
        from .feedback import write_out

        state["enr"].record(submission_copy.etudiant, submission_copy.path, r)
        write_out(r, submission_copy.etudiant, output / f"{submission_copy.etudiant}.html")

    try:
        campaign_summary.resultats, campaign_summary.graded = grade_batch(root, assignment, copies, output, jobs or os.cpu_count() or 1,
                                                  to_result, show=show, prepare=prepare,
                                                  journal=log_path(root))
        for c in copies:  # results resumed from an earlier run that nbgrader does not have yet
            r = campaign_summary.resultats.get(c.etudiant)
            if r is not None and c.etudiant not in campaign_summary.graded and c.etudiant not in state["deja"]:
                state["enr"].record(c.etudiant, c.path, r)
            if r is not None and not (output / f"{c.etudiant}.html").is_file():
                from .feedback import write_out

                write_out(r, c.etudiant, output / f"{c.etudiant}.html")
    finally:
        if "enr" in state:
            state["enr"].close()
    from .report import write_report

    campaign_summary.report, campaign_summary.csv = write_report(root, assignment, campaign_summary.url)
    return campaign_summary
