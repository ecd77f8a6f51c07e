"""Canvas and Moodle bulk downloads to nbgrader's submitted/<student>/<id>/ layout, ids and late flags kept."""
from __future__ import annotations

import json
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from nbgrader.plugins import FileNameCollectorPlugin

MSG_INCONNU = "ignoré (nom non reconnu pour {lms}) : {nom}"
MSG_PAS_NOTEBOOK = "ignoré (pas un notebook .ipynb) : {nom}"
MSG_CHOIX = "{etudiant} : {n} dépôts, le plus récent est gardé ({garde}) ; écartés : {ecartes}"
MSG_DOUBLON = "{etudiant} : dépôt en double ignoré ({nom})"
MSG_IMPORTE = "{etudiant} ({nom}){retard} <- {fichier}"
FICHIER_IDENTITES = "identites.json"


class _CollecteurLMS(FileNameCollectorPlugin):
    """Name matching shared by ``autograder collect`` and ``nbgrader zip_collect``.

    Under ``nbgrader zip_collect`` (parent: the ZipCollectApp), ``collect`` also renames the student's
    file to the release notebook's name and skips every attempt but the newest, since the LMS zips
    carry no submission time that nbgrader could compare. Late flags need ``autograder collect``.
    """

    def ordre(self, chemin: str, groupes: dict) -> tuple:
        """Larger is newer, among one student's files of one download."""
        return (os.path.getmtime(chemin), chemin)

    def collect(self, submitted_file: str) -> dict | None:
        info = super().collect(submitted_file)
        coursedir = getattr(self.parent, "coursedir", None)
        if info is None or coursedir is None:
            return info
        dossier = os.path.dirname(submitted_file)
        rivaux = []
        for voisin in sorted(os.listdir(dossier)):
            chemin = os.path.join(dossier, voisin)
            m = self._match(chemin) if voisin.lower().endswith(".ipynb") else None
            if m and m["student_id"] == info["student_id"]:
                rivaux.append((self.ordre(chemin, m), chemin))
        garde = max(rivaux)[1] if rivaux else submitted_file
        if garde != submitted_file:
            self.log.warning(MSG_CHOIX.format(etudiant=info["student_id"], n=len(rivaux),
                                              garde=os.path.basename(garde),
                                              ecartes=os.path.basename(submitted_file)))
            return None
        return {**info, "file_id": f"{coursedir.assignment_id}.ipynb"}


class CanvasCollector(_CollecteurLMS):
    """Canvas "Download Submissions": ``<sortable name>_[LATE_]<user id>_<attachment id>_<original name>``."""

    # The first path component that names a student decides (lazy prefix): an entry nested under a
    # classmate's name inside one's own folder is never credited to the classmate.
    named_regexp = (r"^(?:.*?/)??(?P<nom>[^/_]+)_(?P<retard>LATE_)?(?P<student_id>\d+)_(?P<depot>\d+)_"
                    r"(?P<file_id>.+)$")

    def ordre(self, chemin: str, groupes: dict) -> tuple:
        return (int(groupes["depot"]),)  # Canvas attachment ids grow with each upload


class MoodleCollector(_CollecteurLMS):
    """Moodle "Download all submissions": ``<Full Name>_<participant id>_assignsubmission_file_[/]<name>``."""

    named_regexp = (r"^(?:.*?/)??(?P<nom>[^/_]+)_(?P<student_id>\d+)_assignsubmission_(?:file|onlinetext)_/?"
                    r"(?P<file_id>.+)$")


COLLECTEURS = {"canvas": CanvasCollector, "moodle": MoodleCollector}


@dataclass
class Depot:
    etudiant: str
    nom: str
    retard: bool
    ordre: tuple  # larger is newer: Canvas attachment id, else the zip entry's date
    entree: zipfile.ZipInfo


@dataclass
class Rapport:
    importes: list[str] = field(default_factory=list)
    ignores: list[str] = field(default_factory=list)
    journal: list[str] = field(default_factory=list)


def _nom_entree(info: zipfile.ZipInfo) -> str:
    """Zip names without the UTF-8 flag are cp437 by the format; LMSs often wrote UTF-8 anyway."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def deviner_lms(noms: list[str]) -> str:
    return "moodle" if any("_assignsubmission_" in n for n in noms) else "canvas"


def collecter(archive: Path, submitted: Path, devoir_id: str, lms: str | None = None) -> Rapport:
    """Unpack ``archive`` into ``submitted/<student id>/<devoir_id>/<devoir_id>.ipynb``; newest attempt wins."""
    rapport = Rapport()
    with zipfile.ZipFile(archive) as z:
        infos = [i for i in z.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
        lms = lms or deviner_lms([_nom_entree(i) for i in infos])
        collecteur = COLLECTEURS[lms]()
        depots: dict[str, list[Depot]] = {}
        for info in infos:
            nom = _nom_entree(info)
            if PurePosixPath(nom).suffix.lower() != ".ipynb":
                rapport.ignores.append(nom)
                rapport.journal.append(MSG_PAS_NOTEBOOK.format(nom=nom))
                continue
            m = collecteur._match(nom)
            if not m:
                rapport.ignores.append(nom)
                rapport.journal.append(MSG_INCONNU.format(lms=lms, nom=nom))
                continue
            ordre = (int(m["depot"]),) if m.get("depot") else tuple(info.date_time)
            d = Depot(m["student_id"], m["nom"], bool(m.get("retard")), ordre, info)
            liste = depots.setdefault(d.etudiant, [])
            if any(x.ordre == d.ordre and x.entree.file_size == info.file_size for x in liste):
                rapport.ignores.append(nom)
                rapport.journal.append(MSG_DOUBLON.format(etudiant=d.etudiant, nom=nom))
                continue
            liste.append(d)
        identites = _lire_identites(submitted)
        for etudiant, liste in sorted(depots.items()):
            liste.sort(key=lambda d: d.ordre)
            garde = liste[-1]
            if len(liste) > 1:
                rapport.journal.append(MSG_CHOIX.format(
                    etudiant=etudiant, n=len(liste), garde=_nom_entree(garde.entree),
                    ecartes=", ".join(_nom_entree(d.entree) for d in liste[:-1])))
            dest = submitted / etudiant / devoir_id
            dest.mkdir(parents=True, exist_ok=True)
            with z.open(garde.entree) as src, open(dest / f"{devoir_id}.ipynb", "wb") as out:
                shutil.copyfileobj(src, out)
            # No timestamp.txt: zip entry dates are download dates, not submission times, and nbgrader
            # would turn them into late penalties. The LMS's own late flag is kept in identites.json.
            identites.setdefault(etudiant, {}).update({"nom": garde.nom, "lms": lms})
            identites[etudiant].setdefault("retards", {})[devoir_id] = garde.retard
            rapport.importes.append(etudiant)
            rapport.journal.append(MSG_IMPORTE.format(etudiant=etudiant, nom=garde.nom, fichier=_nom_entree(garde.entree),
                                                      retard=" [EN RETARD]" if garde.retard else ""))
        _ecrire_identites(submitted, identites)
    return rapport


def _lire_identites(submitted: Path) -> dict:
    f = submitted / FICHIER_IDENTITES
    return json.loads(f.read_text(encoding="utf-8")) if f.is_file() else {}


def _ecrire_identites(submitted: Path, identites: dict) -> None:
    submitted.mkdir(parents=True, exist_ok=True)
    (submitted / FICHIER_IDENTITES).write_text(json.dumps(identites, ensure_ascii=False, indent=1), encoding="utf-8")


def identites(racine: Path) -> dict:
    """Student id -> {"nom", "lms", "retards"} as recorded by collect (empty when never collected)."""
    return _lire_identites(racine / "submitted")
