"""Building blocks of the public self-check: a task's checks, their outcome, and race exploration."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from .probes.api import MSG_EXCEPTION, MSG_NON_IMPLEMENTE, CheckFailed, Submission
from .probes.harness import Execution
from .probes.hb import Access
from .probes.story import lost_update
from .probes.output import summarize_exception
from .probes.verdicts import MSG_VALEUR, race_or_loss, problem

TOLERANCE = 0.01  # virtual seconds, as in the graders: the clock also moves by 1 µs per traced step


class StoryFailure(CheckFailed):
    """A failed check that comes with the accesses telling how it went wrong, and the seed that shows it."""

    def __init__(self, message: str, story: list[Access], seed: int) -> None:
        super().__init__(message)
        self.story = story
        self.seed = seed


class SeededFailure(CheckFailed):
    """A failed check observed on one seed of the scheduler: the seed replays it."""

    def __init__(self, message: str, seed: int) -> None:
        super().__init__(message)
        self.seed = seed


@dataclass(frozen=True)
class PublicCheck:
    """One public check: ``run(submission, seeds)`` raises Echec (French) when the code is wrong.

    ``seeds`` are the public seeds of a scheduled check; a replay passes ``[graine]`` instead.
    """

    name: str
    run: Callable[[Submission, Sequence[int]], None]
    seeds: tuple[int, ...] = ()


@dataclass(frozen=True)
class PublicTask:
    """The public checks of one graded task, and the real-time bound of all of them together."""

    assignment: str
    task: str
    checks: tuple[PublicCheck, ...]
    limit: float = 10.0


@dataclass
class Failure:
    """One failed public check: its French message, and the story and seed that show it, if any."""

    check: str
    message: str
    story: list[Access] = field(default_factory=list)
    seed: int | None = None


@dataclass
class Outcome:
    """What the self-check of one task found: every check is run, as the grader does."""

    task: str
    passed: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    hung: bool = False
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


def fail_on_problem(ex: Execution, what: str) -> None:
    """Raise the run's first problem (crash, deadlock, busy wait...) the way the graders word it."""
    p = problem(ex, what)
    if p:
        raise SeededFailure(p, ex.seed)


def explore_races(run: Callable[[int], Execution], what: str, expected: object, seeds: Sequence[int],
                  minimum: int = 1) -> None:
    """The graders' race verdict (verdicts.sans_course) on the given seeds, keeping the story.

    Happens-before judges every run, so correct code costs ``minimum`` runs; racy code goes on through
    the seeds until a lost update tells the story (the grader explores more). With one seed
    (a replay), that seed's own story is told: the same words the grader printed for it.
    """
    first: Execution | None = None   # first run with a race or a wrong value
    wrong: Execution | None = None   # first run with a wrong value: the better story
    for i, seed in enumerate(seeds):
        ex = run(seed)
        fail_on_problem(ex, what)
        if ex.courses or ex.valeur != expected:
            first = first or ex
            if ex.valeur != expected:
                wrong = wrong or ex
                lost = lost_update(ex.journal)
                if lost:
                    raise StoryFailure(race_or_loss(ex, expected, ex.valeur) or "", lost, seed)
        if first is None and i + 1 >= minimum:
            return
    chosen = wrong or first
    if chosen is None:
        return
    message = race_or_loss(chosen, expected, chosen.valeur) or MSG_VALEUR.format(
        quoi=what, obtenu=chosen.valeur, attendu=expected)
    story = [chosen.courses[0].first_one, chosen.courses[0].second] if chosen.courses else []
    raise StoryFailure(message, story, chosen.seed)


def call_real(what: str, function: Callable, *args: Any) -> Any:
    """Call student code with real threads; its exceptions become the graders' French messages."""
    try:
        return function(*args)
    except NotImplementedError:
        raise CheckFailed(MSG_NON_IMPLEMENTE.format(quoi=what)) from None
    except Exception as e:  # noqa: BLE001 - whatever the student raised is the verdict
        raise CheckFailed(MSG_EXCEPTION.format(quoi=what, exception=summarize_exception(e))) from None
