"""Grade many submissions in parallel, resumably: one JSON per submission, each handed to a callback."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from .assignment import Devoir
from .results import GradeResult, read_result

MSG_ERREUR_INTERNE = ("La correction de cette copie a échoué pour une raison interne ({raison}) : elle n'est pas "
                      "notée ; l'équipe du cours doit la relancer.")
# Why a file or folder found under the submissions folder is not graded (printed for the TA, one line each).
IGNORE_NOM = "seul {attendu} est noté dans ce dossier (nom attendu par nbgrader)"
IGNORE_SANS_NOTEBOOK = "aucun notebook {attendu} dans ce dossier"
IGNORE_HORS_DOSSIER = "notebook hors d'un dossier d'étudiant (attendu : <étudiant>/{id}/{id}.ipynb)"
IGNORE_DOSSIER_PLAT = "dossier ignoré : les copies de ce dossier sont ses fichiers <étudiant>.ipynb"
# Folders nbgrader itself ignores (CourseDirectory.ignore): never reported.
BRUIT = {".ipynb_checkpoints", "__pycache__", "feedback"}
DELAI_ARRET = 1.5  # seconds the workers get to clean up their sandboxes after Ctrl-C


class Interrompu(Exception):
    """The TA pressed Ctrl-C: workers are stopped, finished results are saved."""


@dataclass(frozen=True)
class Copie:
    """One submission to grade: who, and which file."""

    etudiant: str
    chemin: Path


@dataclass
class Inventaire:
    """What a submissions folder holds: the copies to grade, and every notebook or folder skipped, with why."""

    copies: list[Copie] = field(default_factory=list)
    ignores: list[tuple[Path, str]] = field(default_factory=list)


def trouver_copies(dossier: Path, devoir_id: str) -> Inventaire:
    """nbgrader's ``submitted/<student>/<id>/<id>.ipynb``, or a plain folder of ``<student>.ipynb``."""
    inv = Inventaire()
    attendu = f"{devoir_id}.ipynb"
    sous_dossiers = sorted(p for p in dossier.iterdir() if p.is_dir() and p.name not in BRUIT)
    for d in sous_dossiers:
        depot = d / devoir_id
        if not depot.is_dir():
            continue  # this student handed in other assignments only
        nb = depot / attendu
        if nb.is_file():
            inv.copies.append(Copie(d.name, nb))
        else:
            inv.ignores.append((depot, IGNORE_SANS_NOTEBOOK.format(attendu=attendu)))
        for autre in sorted(depot.rglob("*.ipynb")):
            if autre != nb and not BRUIT.intersection(autre.relative_to(depot).parts):
                inv.ignores.append((autre, IGNORE_NOM.format(attendu=attendu)))
    a_plat = sorted(p for p in dossier.glob("*.ipynb") if p.is_file())
    if inv.copies or inv.ignores:
        inv.ignores.extend((p, IGNORE_HORS_DOSSIER.format(id=devoir_id)) for p in a_plat)
    else:
        inv.copies = [Copie(p.stem, p) for p in a_plat]
        if inv.copies:
            inv.ignores.extend((d, IGNORE_DOSSIER_PLAT) for d in sous_dossiers)
    return inv


def empreinte(chemin: Path) -> str:
    try:
        return hashlib.sha256(chemin.read_bytes()).hexdigest()
    except OSError:
        return "illisible"


def _ecrire_atomique(chemin: Path, texte: str) -> None:
    temporaire = chemin.with_suffix(chemin.suffix + ".tmp")
    temporaire.write_text(texte, encoding="utf-8")
    os.replace(temporaire, chemin)


def deja_fait(sortie: Path, copie: Copie) -> bool:
    """A result exists for exactly this file's content (a resubmission is graded again)."""
    try:
        donnees = json.loads(sortie.read_text(encoding="utf-8"))
        return donnees.get("_empreinte") == empreinte(copie.chemin)
    except (OSError, ValueError, AttributeError):
        return False


_ARRET = {"demande": False}


def _arreter_sur_sigterm(*_: object) -> None:
    """SIGTERM from the main process: unwind (the engine's finally blocks kill its sandbox children), then exit."""
    _ARRET["demande"] = True
    raise SystemExit(0)


def _initialiser(journal: str | None) -> None:
    """Warm a worker once: the engine forks a child per submission from here, with pytest already loaded.

    Ctrl-C is the main process's business: it stops the workers with SIGTERM, which unwinds the engine (its
    sandbox children are killed on the way out). Third-party warnings go to the batch's log file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _arreter_sur_sigterm)
    if journal:
        from .journal import vers_fichier
        vers_fichier(Path(journal))
    import pytest  # noqa: F401

    from . import engine, manual, plugin  # noqa: F401
    from .probes import harness  # noqa: F401
    from .sandbox import devenir_faucheur
    devenir_faucheur()


def _prechauffer() -> None:
    import pytest  # noqa: F401

    from . import engine, manual, plugin  # noqa: F401
    from .probes import harness  # noqa: F401


def _noter(devoir: Devoir, chemin: str) -> dict:
    """One submission in a worker; ``devoir`` travels pickled (0.1 ms) rather than re-read (its grader
    parsed) for every submission."""
    from .engine import noter_notebook
    from .manual import avec_manuel

    debut = time.monotonic()
    try:
        # The benchmark reads this line: the fixed start-up cost is the time until the engine starts on the
        # first copy (everything before, imports included, is start-up).
        logging.getLogger("autograder.batch").info("debut %s %.3f", Path(chemin).name, time.time())
        note = noter_notebook(Path(chemin), devoir, mode="fork")
        d = avec_manuel(note, devoir).to_dict()
        # Hung, crashed, tampered: for the TA, outside SPEC's result shape (results.Incident's codes).
        d["_incidents"] = [str(i) for i in note.incidents]
    except BaseException:
        if _ARRET["demande"]:  # stopped by Ctrl-C in the main process: quietly, once the sandbox is cleaned up
            os._exit(0)
        raise
    d["duration"] = round(time.monotonic() - debut, 6)  # an unreadable copy fails in well under 1 ms
    return d


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc), children before grandchildren."""
    trouves, pile = [], [pid]
    while pile:
        courant = pile.pop()
        try:
            taches = os.listdir(f"/proc/{courant}/task")
        except OSError:
            continue
        for t in taches:
            try:
                with open(f"/proc/{courant}/task/{t}/children", "rb") as f:
                    enfants = [int(x) for x in f.read().split()]
            except OSError:
                continue
            trouves.extend(enfants)
            pile.extend(enfants)
    return trouves


def _arreter(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now instead of waiting for running copies: their sandbox children (which may hang
    and hold this command's output pipes) are killed first, then the workers get SIGTERM, SIGKILL after
    DELAI_ARRET."""
    processus = list((getattr(pool, "_processes", None) or {}).values())
    for p in processus:
        for enfant in descendants(p.pid):
            for envoyer in (os.killpg, os.kill):
                try:
                    envoyer(enfant, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
    for p in processus:
        if p.is_alive():
            p.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    limite = time.monotonic() + DELAI_ARRET
    for p in processus:
        p.join(max(0.0, limite - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join(0.5)


class _barre:
    """The progress bar (rich), or nothing with ``afficher=False``."""

    def __init__(self, titre: str, total: int, faits: int, afficher: bool) -> None:
        self.progres = None
        if not afficher:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        colonnes = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        self.progres = Progress(*colonnes, transient=False)
        self.progres.start()
        self.tache = self.progres.add_task(titre, total=total, completed=faits)

    def avancer(self) -> None:
        if self.progres is not None:
            self.progres.advance(self.tache)

    def fermer(self) -> None:
        if self.progres is not None:
            self.progres.stop()


def noter_lot(racine: Path, devoir: Devoir, copies: list[Copie], sortie: Path, jobs: int,
              au_resultat: Callable[[Copie, GradeResult], None] | None = None, afficher: bool = True,
              preparer: Callable[[], None] | None = None, journal: Path | None = None,
              ) -> tuple[dict[str, GradeResult], set[str]]:
    """Grade ``copies`` not yet done; save each JSON the moment it exists. ``preparer`` runs while the first
    copies are graded. Returns every result and the students graded in this run (the rest were resumed).
    Raises Interrompu on Ctrl-C, after the workers are stopped."""
    sortie.mkdir(parents=True, exist_ok=True)
    resultats: dict[str, GradeResult] = {}
    notees: set[str] = set()
    a_faire = []
    for c in copies:
        f = sortie / f"{c.etudiant}.json"
        if deja_fait(f, c):
            resultats[c.etudiant] = read_result(f, devoir)
        else:
            a_faire.append(c)

    def garder(c: Copie, d: dict, definitif: bool = True) -> None:
        # An internal failure is kept without fingerprint: the next run grades that copy again.
        d["_empreinte"] = empreinte(c.chemin) if definitif else None
        _ecrire_atomique(sortie / f"{c.etudiant}.json", json.dumps(d, ensure_ascii=False, indent=1))
        r = read_result(d, devoir)
        resultats[c.etudiant] = r
        notees.add(c.etudiant)
        if au_resultat is not None:
            au_resultat(c, r)

    essais: dict[str, int] = {}
    barre = None
    try:
        if not a_faire and preparer is not None:
            preparer()
        if a_faire:  # imported once here, before the workers fork, rather than once in each of them
            _prechauffer()
        while a_faire:
            perdues: list[Copie] = []
            # The first round forks its workers before this process starts any thread (fork is the fast start;
            # the executor launches every worker before its own manager thread); a retry round, once rich's
            # refresh thread runs, spawns them.
            pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(a_faire))),
                                       mp_context=get_context("fork" if barre is None else "spawn"),
                                       initializer=_initialiser, initargs=(str(journal) if journal else None,))
            try:
                en_cours: dict[Future, Copie] = {
                    pool.submit(_noter, devoir, str(c.chemin)): c for c in a_faire}
                if barre is None:  # after the workers are on their way: the bar's imports cost no grading time
                    barre = _barre(devoir.id, len(copies), len(copies) - len(a_faire), afficher)
                if preparer is not None:
                    preparer()
                    preparer = None
                for fut in as_completed(en_cours):
                    c = en_cours[fut]
                    try:
                        d = fut.result()
                    except Exception as e:  # noqa: BLE001 - a lost worker must not lose the batch
                        from .engine import resultat_vide
                        from .manual import avec_manuel

                        essais[c.etudiant] = essais.get(c.etudiant, 0) + 1
                        if essais[c.etudiant] < 2:
                            perdues.append(c)
                            continue
                        vide = resultat_vide(devoir, MSG_ERREUR_INTERNE.format(raison=type(e).__name__))
                        garder(c, avec_manuel(vide, devoir).to_dict(), definitif=False)
                    else:
                        garder(c, d)
                    barre.avancer()
            except KeyboardInterrupt:
                _arreter(pool)
                raise Interrompu() from None
            pool.shutdown(wait=True)
            a_faire = perdues
    finally:
        if barre is not None:
            barre.fermer()
    return resultats, notees
