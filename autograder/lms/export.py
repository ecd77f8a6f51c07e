"""Gradebook exports in the formats LMS importers accept, as nbgrader export plugins and for the CLI."""
from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Unicode

from ..assignment import Devoir, charger_devoir, trouver_racine
from ..notebook import id_test
from ..results import read_result
from .collect import identites

CANVAS_ENTETE = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]

# Moodle's offline grading worksheet, in the language of the site that imports it. Moodle's importer
# (mod/assign/feedback/offline/importgradeslib.php) finds its columns by comparing each header with
# get_string('recordid', 'assign'), get_string('grade') and get_string('lastmodifiedgrade', 'assign') in
# the importing user's language, strips get_string('hiddenuser', 'assign') from the identifier, reads the
# date with PHP's strtotime, and the feedback column by the comments plugin's name. These are Moodle's own
# strings (lang/en and the fr language pack): "Participant " has a trailing space in English, none in French.
MOODLE_CHAINES = {
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
MOODLE_COLONNES = ["recordid", "fullname", "status", "grade", "maxgrade", "gradecanbechanged",
                   "lastmodifiedsubmission", "lastmodifiedgrade", "feedbackcomments"]


def moodle_entete(langue: str) -> list[str]:
    """The worksheet's header row in ``langue`` (en or fr)."""
    return [MOODLE_CHAINES[langue][c] for c in MOODLE_COLONNES]


MOODLE_ENTETE = moodle_entete("en")


def date_moodle(quand: datetime) -> str:
    """ISO 8601 with its UTC offset: read by PHP's strtotime whatever the site's language (a French
    "lundi 2 mars 2026" is not)."""
    if quand.tzinfo is None:
        quand = quand.replace(tzinfo=timezone.utc)  # nbgrader stores naive UTC times
    return quand.astimezone(timezone.utc).isoformat(timespec="seconds")


def notes(gb: Gradebook, devoir: Devoir) -> list[dict]:
    """One row per student who submitted: task scores as stored in the gradebook's test cells."""
    lignes = []
    for etudiant in sorted(gb.students, key=lambda s: s.id):
        try:
            sub = gb.find_submission(devoir.id, etudiant.id)
        except MissingEntry:
            continue
        taches = {}
        for t in devoir.taches:
            try:
                taches[t.id] = gb.find_grade(id_test(t.id), devoir.id, devoir.id, etudiant.id).score
            except MissingEntry:
                taches[t.id] = 0.0
        lignes.append({"id": etudiant.id, "taches": taches, "total": round(sub.score, 2),
                       "max": round(sub.max_score, 2), "date": sub.timestamp})
    return lignes


def _commentaire(racine: Path, devoir: Devoir, etudiant: str) -> str:
    """The failed checks of the engine's result, in French, for the LMS feedback column."""
    f = racine / "resultats" / devoir.id / f"{etudiant}.json"
    if not f.is_file():
        return ""
    r = read_result(f, devoir)
    parties = [f"{t.id} : {t.score:g}/{t.max_score:g}" for t in r.tasks]
    echecs = [c.name for t in r.tasks for c in t.checks if not c.passed]
    if echecs:
        parties.append("À revoir : " + " ; ".join(echecs))
    return " | ".join(parties)


def ecrire_canvas(lignes: list[dict], devoir: Devoir, noms: dict, sortie: Path, titre: str, canvas_id: str) -> None:
    with open(sortie, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(CANVAS_ENTETE + [f"{titre} ({canvas_id})"])
        w.writerow(["    Points Possible", "", "", "", "", f"{devoir.points_total:g}"])
        for ligne in lignes:
            w.writerow([noms.get(ligne["id"], {}).get("nom", ligne["id"]), ligne["id"], "", "", "", f"{ligne['total']:g}"])


def ecrire_moodle(lignes: list[dict], devoir: Devoir, noms: dict, sortie: Path, commentaires: dict,
                  langue: str = "fr") -> None:
    t = MOODLE_CHAINES[langue]
    maintenant = date_moodle(datetime.now(timezone.utc))
    with open(sortie, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(moodle_entete(langue))
        for ligne in lignes:
            depot = date_moodle(ligne["date"]) if ligne["date"] else ""
            w.writerow([f"{t['hiddenuser']}{ligne['id']}", noms.get(ligne["id"], {}).get("nom", ligne["id"]),
                        t["submitted"], f"{ligne['total']:.2f}", f"{ligne['max']:.2f}", t["yes"],
                        depot, maintenant, commentaires.get(ligne["id"], "")])


def ecrire_taches(lignes: list[dict], devoir: Devoir, sortie: Path) -> None:
    with open(sortie, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["student", *[t.id for t in devoir.taches], "total", "max_score"])
        for ligne in lignes:
            w.writerow([ligne["id"], *[f"{ligne['taches'][t.id]:g}" for t in devoir.taches],
                        f"{ligne['total']:g}", f"{ligne['max']:g}"])


class _Export(ExportPlugin):
    """Shared part of the plugins: `nbgrader export --exporter=autograder.lms.export.X --assignment=[ID]`."""

    format = ""
    langue = Unicode("fr", help="Language of the Moodle site importing the worksheet (en or fr).").tag(config=True)

    def export(self, gradebook: Gradebook) -> None:
        racine = trouver_racine()
        for devoir_id in self.assignment or [a.name for a in gradebook.assignments]:
            devoir = charger_devoir(racine, devoir_id)
            cible = Path(self.to or f"{devoir_id}-{self.format}.csv")
            if len(self.assignment) != 1 and self.to:
                cible = cible.with_name(f"{cible.stem}-{devoir_id}{cible.suffix}")
            exporter_depuis(racine, devoir, self.format, cible, gradebook, self.langue)


class CanvasExportPlugin(_Export):
    format = "canvas"


class MoodleExportPlugin(_Export):
    format = "moodle"


class TachesExportPlugin(_Export):
    format = "csv"


def exporter_depuis(racine: Path, devoir: Devoir, format: str, cible: Path, gb: Gradebook,
                    langue: str = "fr") -> Path:
    lignes = notes(gb, devoir)
    noms = identites(racine)
    if format == "canvas":
        conf = devoir.lms
        ecrire_canvas(lignes, devoir, noms, cible, conf.get("titre_canvas", devoir.titre), str(conf.get("canvas_id", devoir.id)))
    elif format == "moodle":
        ecrire_moodle(lignes, devoir, noms, cible, {l["id"]: _commentaire(racine, devoir, l["id"]) for l in lignes},
                      langue)
    else:
        ecrire_taches(lignes, devoir, cible)
    return cible


def exporter(racine: Path, devoir: Devoir, format: str, sortie: Path | None, langue: str = "fr") -> Path:
    """`autograder export`: the same writers as the nbgrader plugins, on the course's gradebook."""
    from ..gradebook import url_gradebook
    cible = sortie or racine / "exports" / f"{devoir.id}-{format}.csv"
    cible.parent.mkdir(parents=True, exist_ok=True)
    with Gradebook(url_gradebook(racine)) as gb:
        return exporter_depuis(racine, devoir, format, cible, gb, langue)
