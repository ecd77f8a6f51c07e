"""Canvas and Moodle bulk downloads to nbgrader's submitted/<student>/<id>/ layout, ids and late flags kept."""
from __future__ import annotations

import json
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from nbgrader.plugins import FileNameCollectorPlugin

MSG_UNKNOWN = "ignoré (nom non reconnu pour {lms}) : {nom}"
MSG_NOT_NOTEBOOK = "ignoré (pas un notebook .ipynb) : {nom}"
MSG_CHOICE = "{etudiant} : {n} dépôts, le plus récent est gardé ({garde}) ; écartés : {ecartes}"
MSG_DUPLICATE = "{etudiant} : dépôt en double ignoré ({nom})"
MSG_IMPORTED = "{etudiant} ({nom}){retard} <- {fichier}"
IDENTITIES_FILE = "identites.json"


class _LMSCollector(FileNameCollectorPlugin):
    """Name matching shared by ``autograder collect`` and ``nbgrader zip_collect``.

    Under ``nbgrader zip_collect`` (parent: the ZipCollectApp), ``collect`` also renames the student's
    file to the release notebook's name and skips every attempt but the newest, since the LMS zips
    carry no submission time that nbgrader could compare. Late flags need ``autograder collect``.
    """

    def order(self, path: str, groups: dict) -> tuple:
        """Larger is newer, among one student's files of one download."""
        return (os.path.getmtime(path), path)

    def collect(self, submitted_file: str) -> dict | None:
        info = super().collect(submitted_file)
        coursedir = getattr(self.parent, "coursedir", None)
        if info is None or coursedir is None:
            return info
        folder = os.path.dirname(submitted_file)
        rivals = []
        for neighbour in sorted(os.listdir(folder)):
            path = os.path.join(folder, neighbour)
            m = self._match(path) if neighbour.lower().endswith(".ipynb") else None
            if m and m["student_id"] == info["student_id"]:
                rivals.append((self.order(path, m), path))
        guard = max(rivals)[1] if rivals else submitted_file
        if guard != submitted_file:
            self.log.warning(MSG_CHOICE.format(etudiant=info["student_id"], n=len(rivals),
                                              garde=os.path.basename(guard),
                                              ecartes=os.path.basename(submitted_file)))
            return None
        return {**info, "file_id": f"{coursedir.assignment_id}.ipynb"}


class CanvasCollector(_LMSCollector):
    """Canvas "Download Submissions": ``<sortable name>_[LATE_]<user id>_<attachment id>_<original name>``."""

    # The first path component that names a student decides (lazy prefix): an entry nested under a
    # classmate's name inside one's own folder is never credited to the classmate.
    named_regexp = (r"^(?:.*?/)??(?P<nom>[^/_]+)_(?P<retard>LATE_)?(?P<student_id>\d+)_(?P<depot>\d+)_"
                    r"(?P<file_id>.+)$")

    def order(self, path: str, groups: dict) -> tuple:
        return (int(groups["depot"]),)  # Canvas attachment ids grow with each upload


class MoodleCollector(_LMSCollector):
    """Moodle "Download all submissions": ``<Full Name>_<participant id>_assignsubmission_file_[/]<name>``."""

    named_regexp = (r"^(?:.*?/)??(?P<nom>[^/_]+)_(?P<student_id>\d+)_assignsubmission_(?:file|onlinetext)_/?"
                    r"(?P<file_id>.+)$")


COLLECTORS = {"canvas": CanvasCollector, "moodle": MoodleCollector}


@dataclass
class Deposit:
    etudiant: str
    nom: str
    retard: bool
    order: tuple  # larger is newer: Canvas attachment id, else the zip entry's date
    entry: zipfile.ZipInfo


@dataclass
class CollectReport:
    imported: list[str] = field(default_factory=list)
    ignores: list[str] = field(default_factory=list)
    journal: list[str] = field(default_factory=list)


def _entry_name(info: zipfile.ZipInfo) -> str:
    """Zip names without the UTF-8 flag are cp437 by the format; LMSs often wrote UTF-8 anyway."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def guess_lms(name_set: list[str]) -> str:
    return "moodle" if any("_assignsubmission_" in n for n in name_set) else "canvas"


def collect_zip(archive: Path, submitted: Path, assignment_id: str, lms: str | None = None) -> CollectReport:
    """Unpack ``archive`` into ``submitted/<student id>/<devoir_id>/<devoir_id>.ipynb``; newest attempt wins."""
    report = CollectReport()
    with zipfile.ZipFile(archive) as z:
        info_dict = [i for i in z.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
        lms = lms or guess_lms([_entry_name(i) for i in info_dict])
        collector = COLLECTORS[lms]()
        deposits: dict[str, list[Deposit]] = {}
        for info in info_dict:
            nom = _entry_name(info)
            if PurePosixPath(nom).suffix.lower() != ".ipynb":
                report.ignores.append(nom)
                report.journal.append(MSG_NOT_NOTEBOOK.format(nom=nom))
                continue
            m = collector._match(nom)
            if not m:
                report.ignores.append(nom)
                report.journal.append(MSG_UNKNOWN.format(lms=lms, nom=nom))
                continue
            order = (int(m["depot"]),) if m.get("depot") else tuple(info.date_time)
            d = Deposit(m["student_id"], m["nom"], bool(m.get("retard")), order, info)
            items_list = deposits.setdefault(d.etudiant, [])
            if any(x.order == d.order and x.entry.file_size == info.file_size for x in items_list):
                report.ignores.append(nom)
                report.journal.append(MSG_DUPLICATE.format(etudiant=d.etudiant, nom=nom))
                continue
            items_list.append(d)
        identities = _read_identities(submitted)
        for etudiant, items_list in sorted(deposits.items()):
            items_list.sort(key=lambda d: d.order)
            guard = items_list[-1]
            if len(items_list) > 1:
                report.journal.append(MSG_CHOICE.format(
                    etudiant=etudiant, n=len(items_list), garde=_entry_name(guard.entry),
                    ecartes=", ".join(_entry_name(d.entry) for d in items_list[:-1])))
            dest = submitted / etudiant / assignment_id
            dest.mkdir(parents=True, exist_ok=True)
            with z.open(guard.entry) as src, open(dest / f"{assignment_id}.ipynb", "wb") as out:
                shutil.copyfileobj(src, out)
            # No timestamp.txt: zip entry dates are download dates, not submission times, and nbgrader
            # would turn them into late penalties. The LMS's own late flag is kept in identites.json.
            identities.setdefault(etudiant, {}).update({"nom": guard.nom, "lms": lms})
            identities[etudiant].setdefault("retards", {})[assignment_id] = guard.retard
            report.imported.append(etudiant)
            report.journal.append(MSG_IMPORTED.format(etudiant=etudiant, nom=guard.nom, fichier=_entry_name(guard.entry),
                                                      retard=" [EN RETARD]" if guard.retard else ""))
        _write_identities(submitted, identities)
    return report


def _read_identities(submitted: Path) -> dict:
    f = submitted / IDENTITIES_FILE
    return json.loads(f.read_text(encoding="utf-8")) if f.is_file() else {}


def _write_identities(submitted: Path, identities: dict) -> None:
    submitted.mkdir(parents=True, exist_ok=True)
    (submitted / IDENTITIES_FILE).write_text(json.dumps(identities, ensure_ascii=False, indent=1), encoding="utf-8")


def identities(root: Path) -> dict:
    """Student id -> {"nom", "lms", "retards"} as recorded by collect (empty when never collected)."""
    return _read_identities(root / "submitted")
