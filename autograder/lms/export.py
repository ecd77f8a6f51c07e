"""Gradebook exports in the formats LMS importers accept, as nbgrader export plugins and for the CLI."""
from __future__ import annotations

import csv
import json
from datetime import datetime, timezone
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin

from ..assignment import Devoir, charger_devoir, trouver_racine
from .collect import identites

CANVAS_ENTETE = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_ENTETE = ["Identifier", "Full name", "Status", "Grade", "Maximum Grade", "Grade can be changed",
                 "Last modified (submission)", "Last modified (grade)", "Feedback comments"]


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
                taches[t.id] = gb.find_grade(f"test_{t.id}", devoir.id, devoir.id, etudiant.id).score
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
    r = json.loads(f.read_text(encoding="utf-8"))
    parties = [f"{t['id']} : {t['score']:g}/{t['max_score']:g}" for t in r["tasks"]]
    echecs = [c["name"] for t in r["tasks"] for c in t["checks"] if not c["passed"]]
    if echecs:
        parties.append("À revoir : " + " ; ".join(echecs))
    return " | ".join(parties)


def ecrire_canvas(lignes: list[dict], devoir: Devoir, noms: dict, sortie: Path, titre: str, canvas_id: str) -> None:
    with open(sortie, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(CANVAS_ENTETE + [f"{titre} ({canvas_id})"])
        w.writerow(["    Points Possible", "", "", "", "", f"{devoir.points:g}"])
        for ligne in lignes:
            w.writerow([noms.get(ligne["id"], {}).get("nom", ligne["id"]), ligne["id"], "", "", "", f"{ligne['total']:g}"])


def ecrire_moodle(lignes: list[dict], devoir: Devoir, noms: dict, sortie: Path, commentaires: dict) -> None:
    maintenant = datetime.now(timezone.utc).strftime("%A, %d %B %Y, %I:%M %p")
    with open(sortie, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(MOODLE_ENTETE)
        for ligne in lignes:
            depot = ligne["date"].strftime("%A, %d %B %Y, %I:%M %p") if ligne["date"] else ""
            w.writerow([f"Participant {ligne['id']}", noms.get(ligne["id"], {}).get("nom", ligne["id"]),
                        "Submitted for grading", f"{ligne['total']:.2f}", f"{devoir.points:.2f}", "Yes",
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

    def export(self, gradebook: Gradebook) -> None:
        racine = trouver_racine()
        for devoir_id in self.assignment or [a.name for a in gradebook.assignments]:
            devoir = charger_devoir(racine, devoir_id)
            cible = Path(self.to or f"{devoir_id}-{self.format}.csv")
            if len(self.assignment) != 1 and self.to:
                cible = cible.with_name(f"{cible.stem}-{devoir_id}{cible.suffix}")
            exporter_depuis(racine, devoir, self.format, cible, gradebook)


class CanvasExportPlugin(_Export):
    format = "canvas"


class MoodleExportPlugin(_Export):
    format = "moodle"


class TachesExportPlugin(_Export):
    format = "csv"


def exporter_depuis(racine: Path, devoir: Devoir, format: str, cible: Path, gb: Gradebook) -> Path:
    lignes = notes(gb, devoir)
    noms = identites(racine)
    if format == "canvas":
        conf = devoir.lms
        ecrire_canvas(lignes, devoir, noms, cible, conf.get("titre_canvas", devoir.titre), str(conf.get("canvas_id", devoir.id)))
    elif format == "moodle":
        ecrire_moodle(lignes, devoir, noms, cible, {l["id"]: _commentaire(racine, devoir, l["id"]) for l in lignes})
    else:
        ecrire_taches(lignes, devoir, cible)
    return cible


def exporter(racine: Path, devoir: Devoir, format: str, sortie: Path | None) -> Path:
    """`autograder export`: the same writers as the nbgrader plugins, on the course's gradebook."""
    from ..gradebook import url_gradebook
    cible = sortie or racine / "exports" / f"{devoir.id}-{format}.csv"
    cible.parent.mkdir(parents=True, exist_ok=True)
    with Gradebook(url_gradebook(racine)) as gb:
        return exporter_depuis(racine, devoir, format, cible, gb)
