"""Public self-check a student runs in the notebook: the grader's probes on their current definitions."""
from __future__ import annotations

import sys
import threading
import time
from typing import Any

from .engine import MSG_DELAI_TACHE
from .probes.api import Echec, Soumission
from .probes.harness import nom_fichier
from .probes.sortie import SortieBornee
from .selfcheck_checks import TASKS_THREADS
from .selfcheck_checks_io import TASKS_IO
from .selfcheck_core import Outcome, PublicTask, SeededFailure, StoryFailure
from .selfcheck_source import SourceNotFound, cell_source
from .selfcheck_timeline import Timeline, quoted_lines

TASKS: dict[str, PublicTask] = {t.task: t for t in TASKS_THREADS + TASKS_IO}

MSG_REUSSI = ("Auto-vérification de « {tache} » réussie ({n} vérification(s) publique(s), {duree:.1f} s). "
              "La note finale exécute d'autres cas, cachés.")
MSG_REUSSI_GRAINE = ("Auto-vérification de « {tache} » réussie sur la graine {graine} ({n} vérification(s)). "
                     "La note finale exécute d'autres cas, cachés.")
MSG_ECHEC = "Auto-vérification de « {tache} » : échec de « {verification} ».\n{message}"
MSG_LIGNES = "Dans votre cellule :\n{lignes}"
MSG_REJOUER = "Pour revoir ce scénario : check(\"{tache}\", graine={graine})"
MSG_RAPPEL = "(Vérifications publiques : la note finale exécute davantage de cas.)"
MSG_BLOQUE = "bloque (délai dépassé)"
MSG_TACHE_INCONNUE = "Tâche inconnue : « {tache} ». Tâches vérifiables : {taches}."
MSG_INTERNE = "L'auto-vérification n'a pas pu aller au bout ({detail}) : signalez-le à l'équipe du cours."


class SelfCheckFailed(AssertionError):
    """The self-check found a problem; its text is French, for the student, and is the whole traceback."""

    def _render_traceback_(self) -> list[str]:
        return str(self).splitlines()


def run_checks(task: str, source: str, graine: int | None = None, *, limit: float | None = None) -> Outcome:
    """Run the public checks of ``task`` on its cell ``source``, stopping at the first failure.

    Bounded: past ``limit`` real seconds (the task's own bound by default) the run is abandoned and
    reported as the grader reports a task that runs out of time.
    """
    spec = TASKS[task]
    limit = spec.limit if limit is None else limit
    outcome = Outcome(task)
    sub = Soumission({task: source})
    debut = time.perf_counter()

    def corps() -> None:
        for check in spec.checks:
            seeds = check.seeds if graine is None or not check.seeds else (graine,)
            try:
                check.run(sub, seeds)
            except StoryFailure as e:
                outcome.failed, outcome.message, outcome.story, outcome.seed = check.name, str(e), e.story, e.seed
                return
            except SeededFailure as e:
                outcome.failed, outcome.message, outcome.seed = check.name, str(e), e.seed
                return
            except Echec as e:
                outcome.failed, outcome.message = check.name, str(e)
                return
            except Exception as e:  # noqa: BLE001 - a bug of the self-check must not look like the student's
                outcome.failed, outcome.message = check.name, MSG_INTERNE.format(detail=f"{type(e).__name__}: {e}")
                return
            outcome.passed.append(check.name)

    # A daemon thread and a bounded join: an endless loop in the cell's top-level code, or a real pool
    # that never returns (04-gil), cannot hang the student's kernel.
    stdout = sys.stdout
    fil = threading.Thread(target=corps, daemon=True, name=f"autoverification-{task}")
    fil.start()
    fil.join(limit)
    if fil.is_alive():
        if isinstance(sys.stdout, SortieBornee):
            sys.stdout = stdout  # the abandoned run had the capture in place
        outcome.failed = next((c.name for c in spec.checks if c.name not in outcome.passed), MSG_BLOQUE)
        outcome.message = MSG_DELAI_TACHE.format(tache=task, delai=limit)
        outcome.hung = True
    outcome.elapsed = time.perf_counter() - debut
    return outcome


def report_text(outcome: Outcome, source: str) -> str:
    """The French failure report: the grader's message, the quoted lines, how to replay."""
    texte = MSG_ECHEC.format(tache=outcome.task, verification=outcome.failed, message=outcome.message)
    citees = quoted_lines(outcome.story, {nom_fichier(outcome.task): source})
    if citees:
        texte += "\n" + MSG_LIGNES.format(lignes="\n".join("    " + c for c in citees))
    if outcome.seed is not None:
        texte += "\n" + MSG_REJOUER.format(tache=outcome.task, graine=outcome.seed)
    return texte + "\n" + MSG_RAPPEL


def timeline(outcome: Outcome, source: str) -> Timeline | None:
    """The picture of the failure's story, when it has one."""
    if not outcome.story or outcome.seed is None:
        return None
    return Timeline(outcome.story, outcome.seed, {nom_fichier(outcome.task): source})


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


def check(task: str, graine: int | None = None, *, source: str | None = None,
          namespace: dict[str, Any] | None = None) -> None:
    """Check ``task`` as defined now in this notebook; print a success line or raise SelfCheckFailed.

    ``graine`` replays the scheduler seed given by feedback or by a previous failure. ``source``
    gives the cell's text directly (outside Jupyter); by default it is the cell that defined ``task``.
    Returns None on purpose: a value would be read by nbgrader as a partial score.
    """
    if task not in TASKS:
        raise SelfCheckFailed(MSG_TACHE_INCONNUE.format(tache=task, taches=", ".join(TASKS)))
    if source is None:
        try:
            source = cell_source(task, namespace)
        except SourceNotFound as e:
            raise SelfCheckFailed(str(e)) from None
    outcome = run_checks(task, source, graine)
    if outcome.ok:
        if graine is None:
            print(MSG_REUSSI.format(tache=task, n=len(outcome.passed), duree=outcome.elapsed))
        else:
            print(MSG_REUSSI_GRAINE.format(tache=task, graine=graine, n=len(outcome.passed)))
        return
    image = timeline(outcome, source)
    if image is not None:
        _show(image)
    raise SelfCheckFailed(report_text(outcome, source)) from None
