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

from .assignment import Assignment
from .interrupt import CtrlC
from .results import GradeResult, read_result

MSG_INTERNAL_ERROR = ("La correction de cette copie a échoué pour une raison interne ({raison}) : elle n'est pas "
                      "notée ; l'équipe du cours doit la relancer.")
# Why a file or folder found under the submissions folder is not graded (printed for the TA, one line each).
IGNORE_NAME = "seul {attendu} est noté dans ce dossier (nom attendu par nbgrader)"
IGNORE_WITHOUT_NOTEBOOK = "aucun notebook {attendu} dans ce dossier"
IGNORE_OUTSIDE_FOLDER = "notebook hors d'un dossier d'étudiant (attendu : <étudiant>/{id}/{id}.ipynb)"
IGNORE_SYMLINK = "lien symbolique ignoré : seuls les fichiers et dossiers déposés eux-mêmes sont notés"
IGNORE_FLAT_FOLDER = "dossier ignoré : les copies de ce dossier sont ses fichiers <étudiant>.ipynb"
# Folders nbgrader itself ignores (CourseDirectory.ignore): never reported.
NOISE = {".ipynb_checkpoints", "__pycache__", "feedback"}
STOP_TIMEOUT = 1.5  # seconds the workers get to clean up their sandboxes after Ctrl-C


class Interrupted(Exception):
    """The TA pressed Ctrl-C: workers are stopped, finished results are saved."""


@dataclass(frozen=True)
class Copy:
    """One submission to grade: who, and which file."""

    etudiant: str
    path: Path


@dataclass
class Inventory:
    """What a submissions folder holds: the copies to grade, and every notebook or folder skipped, with why."""

    copies: list[Copy] = field(default_factory=list)
    ignores: list[tuple[Path, str]] = field(default_factory=list)


def find_copies(folder: Path, assignment_id: str) -> Inventory:
    """nbgrader's ``submitted/<student>/<id>/<id>.ipynb``, or a plain folder of ``<student>.ipynb``."""
    inv = Inventory()
    attendu = f"{assignment_id}.ipynb"
    subfolders = sorted(p for p in folder.iterdir() if p.is_dir() and p.name not in NOISE)
    for d in subfolders:
        deposit = d / assignment_id
        # A link could make another student's work, or course files, pass for this student's deposit.
        if d.is_symlink() or deposit.is_symlink():
            inv.ignores.append((deposit if deposit.is_symlink() and not d.is_symlink() else d, IGNORE_SYMLINK))
            continue
        if not deposit.is_dir():
            continue  # this student handed in other assignments only
        nb = deposit / attendu
        if nb.is_file():
            inv.copies.append(Copy(d.name, nb))
        else:
            inv.ignores.append((deposit, IGNORE_WITHOUT_NOTEBOOK.format(attendu=attendu)))
        for other in sorted(deposit.rglob("*.ipynb")):
            if other != nb and not NOISE.intersection(other.relative_to(deposit).parts):
                inv.ignores.append((other, IGNORE_NAME.format(attendu=attendu)))
    flat = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    if inv.copies or inv.ignores:
        inv.ignores.extend((p, IGNORE_OUTSIDE_FOLDER.format(id=assignment_id)) for p in flat)
    else:
        inv.copies = [Copy(p.stem, p) for p in flat]
        if inv.copies:
            inv.ignores.extend((d, IGNORE_FLAT_FOLDER) for d in subfolders)
    return inv


def fingerprint(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "illisible"


def _write_atomic(path: Path, texte: str) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(texte, encoding="utf-8")
    os.replace(temporary, path)


def already_done(output: Path, submission_copy: Copy) -> bool:
    """A result exists for exactly this file's content (a resubmission is graded again)."""
    try:
        donnees = json.loads(output.read_text(encoding="utf-8"))
        return donnees.get("_empreinte") == fingerprint(submission_copy.path)
    except (OSError, ValueError, AttributeError):
        return False


_STOP = {"demande": False}


def _stop_on_sigterm(*_: object) -> None:
    """SIGTERM from the main process: unwind (the engine's finally blocks kill its sandbox children), then exit."""
    _STOP["demande"] = True
    raise SystemExit(0)


def _initialize(journal: str | None) -> None:
    """Warm a worker once: the engine forks a child per submission from here, with pytest already loaded.

    Ctrl-C is the main process's business: it stops the workers with SIGTERM, which unwinds the engine (its
    sandbox children are killed on the way out). Third-party warnings go to the batch's log file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    if journal:
        from .journal import to_file
        to_file(Path(journal))
    import pytest  # noqa: F401
    import pytest_timeout  # noqa: F401

    from . import engine, manual, plugin  # noqa: F401
    from .probes import harness  # noqa: F401
    from .sandbox import become_reaper
    become_reaper()


def _prewarm() -> None:
    import pytest  # noqa: F401
    import pytest_timeout  # noqa: F401

    from . import engine, manual, plugin  # noqa: F401
    from .probes import harness  # noqa: F401


def _grade(assignment: Assignment, path: str) -> dict:
    """One submission in a worker; ``devoir`` travels pickled (0.1 ms) rather than re-read (its grader
    parsed) for every submission."""
    from .engine import grade_notebook
    from .manual import with_manual

    debut = time.monotonic()
    try:
        # The benchmark reads this line: the fixed start-up cost is the time until the engine starts on the
        # first copy (everything before, imports included, is start-up).
        logging.getLogger("autograder.batch").info("debut %s %.3f", Path(path).name, time.time())
        note = grade_notebook(Path(path), assignment, mode="fork")
        d = with_manual(note, assignment).to_dict()
        # Hung, crashed, tampered: for the TA, outside SPEC's result shape (results.Incident's codes).
        d["_incidents"] = [str(i) for i in note.incidents]
    except BaseException:
        if _STOP["demande"]:  # stopped by Ctrl-C in the main process: quietly, once the sandbox is cleaned up
            os._exit(0)
        raise
    d["duration"] = round(time.monotonic() - debut, 6)  # an unreadable copy fails in well under 1 ms
    return d


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc), children before grandchildren."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        try:
            taches = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for t in taches:
            try:
                with open(f"/proc/{current}/task/{t}/children", "rb") as f:
                    children = [int(x) for x in f.read().split()]
            except OSError:
                continue
            found.extend(children)
            stack.extend(children)
    return found


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now instead of waiting for running copies: their sandbox children (which may hang
    and hold this command's output pipes) are killed first, then the workers get SIGTERM, SIGKILL after
    DELAI_ARRET."""
    process = list((getattr(pool, "_processes", None) or {}).values())
    for p in process:
        for child in descendants(p.pid):
            for send in (os.killpg, os.kill):
                try:
                    send(child, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
    for p in process:
        if p.is_alive():
            p.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    limit = time.monotonic() + STOP_TIMEOUT
    for p in process:
        p.join(max(0.0, limit - time.monotonic()))
        if p.is_alive():
            p.kill()
            p.join(0.5)


class _bar:
    """The progress bar (rich), or nothing with ``afficher=False``."""

    def __init__(self, title: str, total: int, facts: int, show: bool) -> None:
        self.progress_bar = None
        if not show:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        self.progress_bar = Progress(*columns, transient=False)
        self.progress_bar.start()
        self.task = self.progress_bar.add_task(title, total=total, completed=facts)

    def advance_bar(self) -> None:
        if self.progress_bar is not None:
            self.progress_bar.advance(self.task)

    def close_all(self) -> None:
        if self.progress_bar is not None:
            self.progress_bar.stop()


def grade_batch(root: Path, assignment: Assignment, copies: list[Copy], output: Path, jobs: int,
              to_result: Callable[[Copy, GradeResult], None] | None = None, show: bool = True,
              prepare: Callable[[], None] | None = None, journal: Path | None = None,
              ) -> tuple[dict[str, GradeResult], set[str]]:
    """Grade ``copies`` not yet done; save each JSON the moment it exists. ``preparer`` runs while the first
    copies are graded. Returns every result and the students graded in this run (the rest were resumed).
    Raises Interrompu on Ctrl-C, after the workers are stopped."""
    output.mkdir(parents=True, exist_ok=True)
    resultats: dict[str, GradeResult] = {}
    graded: set[str] = set()
    todo = []
    for c in copies:
        f = output / f"{c.etudiant}.json"
        if already_done(f, c):
            resultats[c.etudiant] = read_result(f, assignment)
        else:
            todo.append(c)

    ctrl_c = CtrlC()

    def keep(c: Copy, d: dict, final: bool = True) -> None:
        # An internal failure is kept without fingerprint: the next run grades that copy again.
        d["_empreinte"] = fingerprint(c.path) if final else None
        with ctrl_c.deferred():  # the JSON and the gradebook rows are saved together or not at all
            _write_atomic(output / f"{c.etudiant}.json", json.dumps(d, ensure_ascii=False, indent=1))
            r = read_result(d, assignment)
            resultats[c.etudiant] = r
            graded.add(c.etudiant)
            if to_result is not None:
                to_result(c, r)

    attempts: dict[str, int] = {}
    bar = None
    ctrl_c.__enter__()  # left in the finally below: the whole body would otherwise move one level right
    try:
        if not todo and prepare is not None:
            prepare()
        if todo:  # imported once here, before the workers fork, rather than once in each of them
            _prewarm()
        while todo:
            lost: list[Copy] = []
            # The first round forks its workers before this process starts any thread (fork is the fast start;
            # the executor launches every worker before its own manager thread); a retry round, once rich's
            # refresh thread runs, spawns them.
            pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(todo))),
                                       mp_context=get_context("fork" if bar is None else "spawn"),
                                       initializer=_initialize, initargs=(str(journal) if journal else None,))
            try:
                running: dict[Future, Copy] = {
                    pool.submit(_grade, assignment, str(c.path)): c for c in todo}
                if bar is None:  # after the workers are on their way: the bar's imports cost no grading time
                    bar = _bar(assignment.id, len(copies), len(copies) - len(todo), show)
                if prepare is not None:
                    prepare()
                    prepare = None
                for fut in as_completed(running):
                    c = running[fut]
                    try:
                        d = fut.result()
                    except Exception as e:  # noqa: BLE001 - a lost worker must not lose the batch
                        from .engine import empty_result
                        from .manual import with_manual

                        attempts[c.etudiant] = attempts.get(c.etudiant, 0) + 1
                        if attempts[c.etudiant] < 2:
                            lost.append(c)
                            continue
                        empty = empty_result(assignment, MSG_INTERNAL_ERROR.format(raison=type(e).__name__))
                        keep(c, with_manual(empty, assignment).to_dict(), final=False)
                    else:
                        keep(c, d)
                    bar.advance_bar()
            except BaseException:
                _stop(pool)  # whatever escapes, no worker is left grading behind this process's back
                raise
            pool.shutdown(wait=True)
            todo = lost
    except BaseException as e:
        # Ctrl-C, even when a library turned it into its own exception on the way up.
        if ctrl_c.seen or isinstance(e, KeyboardInterrupt):
            raise Interrupted() from None
        raise
    finally:
        ctrl_c.__exit__()
        if bar is not None:
            bar.close_all()
    return resultats, graded
