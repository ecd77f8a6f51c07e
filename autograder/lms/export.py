"""Gradebook exports in the formats LMS importers accept, as nbgrader export plugins and for the CLI."""
from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Unicode

from ..assignment import Assignment, load_assignment, find_root
from ..notebook import test_grade_id
from ..results import read_result
from .collect import identities

CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]

# Moodle's offline grading worksheet, in the language of the site that imports it. Moodle's importer
# (mod/assign/feedback/offline/importgradeslib.php) finds its columns by comparing each header with
# get_string('recordid', 'assign'), get_string('grade') and get_string('lastmodifiedgrade', 'assign') in
# the importing user's language, strips get_string('hiddenuser', 'assign') from the identifier, reads the
# date with PHP's strtotime, and the feedback column by the comments plugin's name. These are Moodle's own
# strings (lang/en and the fr language pack): "Participant " has a trailing space in English, none in French.
MOODLE_STRINGS = {
    "en": {"recordid": "Identifier", "fullname": "Full name", "status": "Status", "grade": "Grade",
           "maxgrade": "Maximum grade", "gradecanbechanged": "Grade can be changed",
           "lastmodifiedsubmission": "Last modified (submission)", "lastmodifiedgrade": "Last modified (grade)",
           "feedbackcomments": "Feedback comments", "hiddenuser": "Participant ",
           "submitted": "Submitted for grading", "yes": "Yes"},
    "fr": {"recordid": "Identifiant", "fullname": "Nom complet", "status": "Statut", "grade": "Note",
           "maxgrade": "Note maximale", "gradecanbechanged": "La note peut être modifiée",
           "lastmodifiedsubmission": "Dernière modification (travail remis)",
           "lastmodifiedgrade": "Dernière modification (note)", "feedbackcomments": "Feedback par commentaires",
           "hiddenuser": "Participant", "submitted": "Remis pour évaluation", "yes": "Oui"},
}
MOODLE_COLUMNS = ["recordid", "fullname", "status", "grade", "maxgrade", "gradecanbechanged",
                   "lastmodifiedsubmission", "lastmodifiedgrade", "feedbackcomments"]


def moodle_header(langue: str) -> list[str]:
    """The worksheet's header row in ``langue`` (en or fr)."""
    return [MOODLE_STRINGS[langue][c] for c in MOODLE_COLUMNS]


MOODLE_HEADER = moodle_header("en")


def date_moodle(when: datetime) -> str:
    """ISO 8601 with its UTC offset: read by PHP's strtotime whatever the site's language (a French
    "lundi 2 mars 2026" is not)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)  # nbgrader stores naive UTC times
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


def notes(gb: Gradebook, assignment: Assignment) -> list[dict]:
    """One row per student who submitted: task scores as stored in the gradebook's test cells."""
    lignes = []
    for etudiant in sorted(gb.students, key=lambda s: s.id):
        try:
            sub = gb.find_submission(assignment.id, etudiant.id)
        except MissingEntry:
            continue
        taches = {}
        for t in assignment.taches:
            try:
                taches[t.id] = gb.find_grade(test_grade_id(t.id), assignment.id, assignment.id, etudiant.id).score
            except MissingEntry:
                taches[t.id] = 0.0
        lignes.append({"id": etudiant.id, "taches": taches, "total": round(sub.score, 2),
                       "max": round(sub.max_score, 2), "date": sub.timestamp})
    return lignes


def _comment(root: Path, assignment: Assignment, etudiant: str) -> str:
    """The failed checks of the engine's result, in French, for the LMS feedback column."""
    f = root / "resultats" / assignment.id / f"{etudiant}.json"
    if not f.is_file():
        return ""
    r = read_result(f, assignment)
    parts = [f"{t.id} : {t.score:g}/{t.max_score:g}" for t in r.tasks]
    failed_checks = [c.name for t in r.tasks for c in t.checks if not c.passed]
    if failed_checks:
        parts.append("À revoir : " + " ; ".join(failed_checks))
    return " | ".join(parts)


def write_canvas(lignes: list[dict], assignment: Assignment, name_set: dict, output: Path, title: str, canvas_id: str) -> None:
    with open(output, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(CANVAS_HEADER + [f"{title} ({canvas_id})"])
        w.writerow(["    Points Possible", "", "", "", "", f"{assignment.points_total:g}"])
        for line in lignes:
            w.writerow([name_set.get(line["id"], {}).get("nom", line["id"]), line["id"], "", "", "", f"{line['total']:g}"])


def write_moodle(lignes: list[dict], assignment: Assignment, name_set: dict, output: Path, comment_list: dict,
                  langue: str = "fr") -> None:
    t = MOODLE_STRINGS[langue]
    now_time = date_moodle(datetime.now(timezone.utc))
    with open(output, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(moodle_header(langue))
        for line in lignes:
            deposit = date_moodle(line["date"]) if line["date"] else ""
            w.writerow([f"{t['hiddenuser']}{line['id']}", name_set.get(line["id"], {}).get("nom", line["id"]),
                        t["submitted"], f"{line['total']:.2f}", f"{line['max']:.2f}", t["yes"],
                        deposit, now_time, comment_list.get(line["id"], "")])


def write_tasks(lignes: list[dict], assignment: Assignment, output: Path) -> None:
    with open(output, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", *[t.id for t in assignment.taches], "total", "max_score"])
        for line in lignes:
            w.writerow([line["id"], *[f"{line['taches'][t.id]:g}" for t in assignment.taches],
                        f"{line['total']:g}", f"{line['max']:g}"])


class _Export(ExportPlugin):
    """Shared part of the plugins: `nbgrader export --exporter=autograder.lms.export.X --assignment=[ID]`."""

    format = ""
    langue = Unicode("fr", help="Language of the Moodle site importing the worksheet (en or fr).").tag(config=True)

    def export(self, gradebook: Gradebook) -> None:
        root = find_root()
        for assignment_id in self.assignment or [a.name for a in gradebook.assignments]:
            assignment = load_assignment(root, assignment_id)
            target_value = Path(self.to or f"{assignment_id}-{self.format}.csv")
            if len(self.assignment) != 1 and self.to:
                target_value = target_value.with_name(f"{target_value.stem}-{assignment_id}{target_value.suffix}")
            export_since(root, assignment, self.format, target_value, gradebook, self.langue)


class CanvasExportPlugin(_Export):
    format = "canvas"


class MoodleExportPlugin(_Export):
    format = "moodle"


class TasksExportPlugin(_Export):
    format = "csv"


def export_since(root: Path, assignment: Assignment, format: str, target_value: Path, gb: Gradebook,
                    langue: str = "fr") -> Path:
    lignes = notes(gb, assignment)
    name_set = identities(root)
    if format == "canvas":
        conf = assignment.lms
        write_canvas(lignes, assignment, name_set, target_value, conf.get("titre_canvas", assignment.title), str(conf.get("canvas_id", assignment.id)))
    elif format == "moodle":
        write_moodle(lignes, assignment, name_set, target_value, {l["id"]: _comment(root, assignment, l["id"]) for l in lignes},
                      langue)
    else:
        write_tasks(lignes, assignment, target_value)
    return target_value


def export_gradebook(root: Path, assignment: Assignment, format: str, output: Path | None, langue: str = "fr") -> Path:
    """`autograder export`: the same writers as the nbgrader plugins, on the course's gradebook."""
    from ..gradebook import url_gradebook
    target_value = output or root / "exports" / f"{assignment.id}-{format}.csv"
    target_value.parent.mkdir(parents=True, exist_ok=True)
    with Gradebook(url_gradebook(root)) as gb:
        return export_since(root, assignment, format, target_value, gb, langue)
