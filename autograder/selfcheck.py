"""Public self-check a student runs in the notebook: the grader's probes on their current definitions."""
from __future__ import annotations

import sys
import textwrap
import threading
import time
from typing import Any

from .engine import MSG_DELAI_TACHE
from .probes.french import decimal
from .probes.api import MSG_NON_IMPLEMENTE, CheckFailed, Submission
from .probes.harness import file_name
from .probes.output import BoundedOutput
from .selfcheck_checks import TASKS_THREADS
from .selfcheck_checks_io import TASKS_IO
from .selfcheck_core import Failure, Outcome, PublicTask, SeededFailure, StoryFailure
from .selfcheck_source import SourceNotFound, cell_source
from .selfcheck_timeline import Timeline, quoted_lines

TASKS: dict[str, PublicTask] = {t.task: t for t in TASKS_THREADS + TASKS_IO}

MSG_PASSED = ("Auto-vérification de « {tache} » réussie ({n} vérification(s) publique(s), {duree} s). "
              "La note finale exécute d'autres cas, cachés.")
MSG_PASSED_SEED = ("Auto-vérification de « {tache} » réussie sur la graine {graine} ({n} vérification(s)). "
                     "La note finale exécute d'autres cas, cachés.")
WIDTH = 80  # nbgrader validate cuts lines past 83 characters (90 columns, 4 of indentation, "...")
MSG_FAILURE = "Auto-vérification de « {tache} » : échec de « {verification} ».\n{message}"
MSG_LINES = "Dans votre cellule :\n{lignes}"
MSG_REPLAY = "Pour revoir ce scénario : check(\"{tache}\", graine={graine})"
MSG_CALLBACK = "(Vérifications publiques : la note finale exécute davantage de cas.)"
MSG_BLOCKED = "bloque (délai dépassé)"
MSG_UNKNOWN_TASK = "Tâche inconnue : « {tache} ». Tâches vérifiables : {taches}."
MSG_BLOCKED_CALL = ("{nom} n'a pas rendu la main en {delai:g} s : un thread attend-il pour toujours (verrou jamais "
                    "relâché, join() ou get() sans fin, sentinelle manquante) ?")
MSG_INTERNAL = "L'auto-vérification n'a pas pu aller au bout ({detail}) : signalez-le à l'équipe du cours."


class SelfCheckFailed(AssertionError):
    """The self-check found a problem; its text is French, for the student, and is the whole traceback."""

    def _render_traceback_(self) -> list[str]:
        return wrapped(str(self))


def bounded_call(function: Any, *args: Any, timeout: float = 10.0, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)`` in a daemon thread, waited at most ``timeout`` real seconds.

    For the notebooks' quick tests: a deadlocked answer fails the cell in French instead of hanging
    the kernel. The result is returned and an exception re-raised, as a direct call would.
    """
    box: dict[str, Any] = {}

    def body() -> None:
        try:
            box["valeur"] = function(*args, **kwargs)
        except BaseException as e:  # noqa: BLE001 - handed back to the caller as is
            box["exception"] = e

    thread = threading.Thread(target=body, daemon=True, name="essai-borne")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise SelfCheckFailed(MSG_BLOCKED_CALL.format(nom=getattr(function, "__name__", "la fonction"), delai=timeout))
    if "exception" in box:
        raise box["exception"]
    return box["valeur"]


def run_checks(task: str, source: str, seed: int | None = None, *, limit: float | None = None) -> Outcome:
    """Run every public check of ``task`` on its cell ``source`` (a task not implemented stops at once).

    Bounded: past ``limit`` real seconds (the task's own bound by default) the run is abandoned and
    reported as the grader reports a task that runs out of time.
    """
    spec = TASKS[task]
    limit = spec.limit if limit is None else limit
    sub = Submission({task: source})
    debut = time.perf_counter()
    passed: list[str] = []
    failures: list[Failure] = []  # filled by the run's thread, copied once it ends or is abandoned

    def body() -> None:
        for check in spec.checks:
            seeds = check.seeds if seed is None or not check.seeds else (seed,)
            try:
                check.run(sub, seeds)
            except StoryFailure as e:
                failures.append(Failure(check.name, str(e), e.story, e.seed))
            except SeededFailure as e:  # a seed replays only a scheduled check (seed 0 is the default run)
                failures.append(Failure(check.name, str(e), seed=e.seed if check.seeds else None))
            except CheckFailed as e:
                failures.append(Failure(check.name, str(e)))
            except Exception as e:  # noqa: BLE001 - a bug of the self-check must not look like the student's
                failures.append(Failure(check.name, MSG_INTERNAL.format(detail=f"{type(e).__name__}: {e}")))
            else:
                passed.append(check.name)
            if failures and failures[-1].message == not_implemented:
                failures[-1].seed = None
                return  # every other check would say the same

    not_implemented = MSG_NON_IMPLEMENTE.format(quoi=task)
    # A daemon thread and a bounded join: an endless loop in the cell's top-level code, or a real pool
    # that never returns (04-gil), cannot hang the student's kernel.
    stdout = sys.stdout
    thread = threading.Thread(target=body, daemon=True, name=f"autoverification-{task}")
    thread.start()
    thread.join(limit)
    outcome = Outcome(task, list(passed), list(failures))
    if thread.is_alive():
        if isinstance(sys.stdout, BoundedOutput):
            sys.stdout = stdout  # the abandoned run had the capture in place
        seen = {f.check for f in outcome.failures} | set(outcome.passed)
        nom = next((c.name for c in spec.checks if c.name not in seen), MSG_BLOCKED)
        outcome.failures.append(Failure(nom, MSG_DELAI_TACHE.format(tache=task, delai=limit)))
        outcome.hung = True
    outcome.elapsed = time.perf_counter() - debut
    return outcome


def report_text(outcome: Outcome, source: str) -> str:
    """The French failure report: each failed check with the grader's words, quoted lines, how to replay."""
    blocks = []
    for f in outcome.failures:
        texte = MSG_FAILURE.format(tache=outcome.task, verification=f.check, message=f.message)
        cited = quoted_lines(f.story, {file_name(outcome.task): source})
        if cited:
            texte += "\n" + MSG_LINES.format(lignes="\n".join("    " + c for c in cited))
        if f.seed is not None:
            texte += "\n" + MSG_REPLAY.format(tache=outcome.task, graine=f.seed)
        blocks.append(texte)
    return "\n\n".join(blocks + [MSG_CALLBACK])


def timeline(outcome: Outcome, source: str) -> Timeline | None:
    """The picture of the first story among the failures, when one has a story."""
    f = next((f for f in outcome.failures if f.story and f.seed is not None), None)
    return None if f is None else Timeline(f.story, f.seed, {file_name(outcome.task): source})


def wrapped(text: str, width: int = WIDTH) -> list[str]:
    """Lines of at most ``width`` characters (nbgrader validate cuts longer ones), indentation kept."""
    lignes = []
    for line in text.splitlines():
        withdrawal = line[:len(line) - len(line.lstrip())]
        lignes.extend(textwrap.wrap(line, width, subsequent_indent=withdrawal + "  ", break_long_words=False,
                                    break_on_hyphens=False) or [""])
    return lignes


def _show(obj: Any) -> None:
    """Inline in Jupyter (HTML with SVG), as text elsewhere."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        print(obj.text)
        return
    if get_ipython() is None:
        print(obj.text)
    else:
        display(obj)


def check(task: str, seed: int | None = None, *, source: str | None = None,
          namespace: dict[str, Any] | None = None) -> None:
    """Check ``task`` as defined now in this notebook; print a success line or raise SelfCheckFailed.

    ``graine`` replays the scheduler seed given by feedback or by a previous failure. ``source``
    gives the cell's text directly (a script outside Jupyter must pass it); by default it is the
    cell that defined ``task`` in this kernel.
    Returns None on purpose: a value would be read by nbgrader as a partial score.
    """
    if task not in TASKS:
        raise SelfCheckFailed(MSG_UNKNOWN_TASK.format(tache=task, taches=", ".join(TASKS)))
    if source is None:
        try:
            source = cell_source(task, namespace)
        except SourceNotFound as e:
            raise SelfCheckFailed(str(e)) from None
    outcome = run_checks(task, source, seed)
    if outcome.ok:
        if seed is None:
            print(MSG_PASSED.format(tache=task, n=len(outcome.passed), duree=decimal(outcome.elapsed, 1)))
        else:
            print(MSG_PASSED_SEED.format(tache=task, graine=seed, n=len(outcome.passed)))
        return
    image = timeline(outcome, source)
    if image is not None:
        _show(image)
    raise SelfCheckFailed(report_text(outcome, source)) from None
