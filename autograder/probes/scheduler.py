"""Seeded cooperative scheduler: one student thread runs at a time and switches only at traced points."""
from __future__ import annotations

import _thread
import random
import sys
import threading as _rt
import time as _time
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, Callable

# Invariant: exactly one task "holds the turn" (``Ordonnanceur.courante``) while
# the run is live; only the holder executes student code or stand-in code. The
# others wait on their own gate (a lock held while they have no turn) until the
# turn is handed to them: a switch wakes exactly one OS thread. Switches happen only
# inside ``point()`` (a traced opcode of student code, or an explicit sequence
# point of a stand-in) and inside ``attendre()`` (a blocking stand-in call).

DEFAULT_MAX_STEPS = 200_000
QUANTUM = 1e-6  # virtual seconds added per step, so that spinning on time() ends
MAX_REAL_WAIT = 10.0  # real seconds a waiting thread tolerates before giving up


class Annulation(BaseException):
    """Raised inside a task to unwind it once the run is over (deadlock, step limit, end)."""


@dataclass
class SimThread:
    """One thread of the run, as the scheduler sees it."""

    num: int
    nom: str
    rank: int = 0  # the number shown to students: threads started while cells loaded are not counted
    vc: dict[int, int] = field(default_factory=dict)
    condition: Callable[[], bool] | None = None
    deadline: float | None = None
    waiting_on: str = ""
    finished: bool = False
    line: int = 0
    cell: str = ""
    exception: BaseException | None = None
    # Released to hand this task the turn (or to wake it when the run is abandoned); locked again by the task
    # itself when it waits. A release with nobody waiting stays pending, so no wake-up is ever lost.
    gate: Any = field(default_factory=lambda: _locked(), repr=False, compare=False)

    @property
    def label(self) -> str:
        return f"T{self.rank}"

    def can_advance(self, now_time: float) -> bool:
        if self.finished:
            return False
        if self.condition is None:
            return True
        if self.deadline is not None and self.deadline <= now_time:
            return True
        return self.condition()


def _locked() -> Any:
    gate = _thread.allocate_lock()
    gate.acquire()
    return gate


def _open(gate: Any) -> None:
    """Release ``gate`` unless a wake-up is already pending on it."""
    try:
        gate.release()
    except RuntimeError:
        pass


class Scheduler:
    """Decides, from a seed, which task runs after each sequence point."""

    def __init__(self, seed: int, *, strategie: str = "collante", p_stay: float = 0.9,
                 pas_max: int = DEFAULT_MAX_STEPS, suivre: Callable[[Any], bool] | None = None,
                 observateur: Any = None) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        # Bound now, before any student code runs: a cell that patches random.Random (or _random.Random, a
        # mutable type too) cannot steer the schedule. C methods only: randrange would look _randbelow up.
        self._random = self.rng.random
        self._bits = self.rng.getrandbits
        if strategie not in ("collante", "uniforme"):
            raise ValueError(f"Unknown scheduling strategy {strategie!r} (from the grader's options)")
        self.strategie = strategie
        self.p_stay = p_stay
        self.pas_max = pas_max
        self.pas = 0
        self.horloge = 0.0
        # Which code objects are the student's (traced opcode by opcode). The jail passes a rule that does
        # not depend on a file name the student chooses; in-process callers default to the cells' names.
        self.suivre = suivre or (lambda code: code.co_filename.startswith("<cellule "))
        self.offset = 0  # tasks created while cells loaded: later tasks are numbered from T1 again
        self.observateur = observateur
        self.taches: list[SimThread] = []
        self.real_thread_ids: set[int] = set()
        self._by_thread: dict[int, SimThread] = {}
        self._abandon = False
        self.current: SimThread | None = None
        self.interblocage: list[str] | None = None
        self.exhausted = False
        self.erreur_interne: str | None = None
        # Set by the harness while the cells' top-level code runs, with tracing off: a trial call left in a
        # cell runs at full speed and uncounted, its threads switching only where they block (an endless
        # loop there is stopped by the wall clock). See lancer_thread_reel and point.
        self.chargement = False

    def _random_below(self, n: int) -> int:
        """random.Random.randrange(n), drawn as CPython 3.11-3.12 draws it (same seeds, same schedules)."""
        k = n.bit_length()
        r = self._bits(k)
        while r >= n:
            r = self._bits(k)
        return r

    # -- tasks -------------------------------------------------------------
    def start_main(self) -> SimThread:
        """Register the calling real thread as T0 and give it the turn."""
        t = self._new(0)
        t.vc = {0: 1}
        self._by_thread[_rt.get_ident()] = t
        self.current = t
        return t

    def _new(self, num: int) -> SimThread:
        t = SimThread(num=num, nom=f"T{num}", rank=num - self.offset)
        self.taches.append(t)
        return t

    def create_task(self, parent: SimThread) -> SimThread:
        """A new task, runnable at once; its clock starts after the parent's (start edge)."""
        t = self._new(len(self.taches))
        t.vc = dict(parent.vc)
        t.vc[t.num] = 1
        parent.vc[parent.num] = parent.vc.get(parent.num, 0) + 1
        return t

    def start_real_thread(self, task: SimThread, body: Callable[[], None]) -> None:
        """Start the real OS thread behind ``tache``; it waits for its turn before running."""

        def primer() -> None:
            self._by_thread[_rt.get_ident()] = task
            try:
                self._wait_turn(task)
                if not self.chargement:
                    sys.settrace(self.tracer)
                try:
                    body()
                finally:
                    sys.settrace(None)
            except Annulation:
                pass
            finally:
                self._finish(task)

        real = _rt.Thread(target=primer, daemon=True, name=f"ordonnanceur-{task.label}")
        self.real_thread_ids.add(id(real))  # the only real threads a scheduled run may start (see harness)
        real.start()

    def current_task(self) -> SimThread:
        t = self._by_thread.get(_rt.get_ident())
        if t is None:
            raise RuntimeError("thread not managed by the scheduler")
        return t

    # -- turn hand-over ------------------------------------------------------
    def _wait_turn(self, t: SimThread) -> None:
        # Per-task gates rather than one Condition: notify_all woke every waiting thread at each switch (a
        # quarter of a scheduled run's time went to threads waking up only to wait again).
        limit = _time.monotonic() + MAX_REAL_WAIT
        while self.current is not t and not self._abandon:
            rest = limit - _time.monotonic()
            if rest <= 0 or not t.gate.acquire(timeout=rest):
                if self.current is t or self._abandon:
                    break
                if self.erreur_interne is None:
                    self.erreur_interne = f"{t.label} n'a pas obtenu la main en {MAX_REAL_WAIT} s"
                self._abandon_run()
        if self._abandon:
            raise Annulation()

    def _pass(self, of: SimThread, a: SimThread) -> None:
        self.current = a
        _open(a.gate)
        self._wait_turn(of)

    def _choose(self, current: SimThread | None, stay: bool = True) -> SimThread | None:
        """Pick the next task among those that can advance, advancing virtual time if none can.

        With ``rester`` the sticky strategy may keep ``courante``; point() draws that itself.
        """
        while True:
            ready = [t for t in self.taches if t.can_advance(self.horloge)]
            if ready:
                break
            deadlines = [t.deadline for t in self.taches
                         if not t.finished and t.condition is not None and t.deadline is not None]
            if not deadlines:
                return None
            self.horloge = max(self.horloge, min(deadlines))
        if stay and current in ready and self.strategie == "collante" and self._random() < self.p_stay:
            return current
        return ready[self._random_below(len(ready))]

    def _deadlock(self) -> None:
        self.interblocage = [f"{t.label} attend {t.waiting_on}" for t in self.taches if not t.finished]
        self._abandon_run()
        raise Annulation()

    # -- sequence points -----------------------------------------------------
    def point(self) -> None:
        """A place where another task may take over (called by the turn holder)."""
        if self._abandon:
            raise Annulation()
        if self.chargement:
            return  # cells loading: a trial call is neither interleaved nor counted
        t = self.current
        self.pas += 1
        self.horloge += QUANTUM
        if self.pas > self.pas_max:
            self.exhausted = True
            self._abandon_run()
            raise Annulation()
        # Fast path: the running task can always go on; keeping the turn needs no scan of the others.
        if self.strategie == "collante" and self._random() < self.p_stay:
            return
        next_one = self._choose(t, stay=False)
        if next_one is not None and next_one is not t:
            self._pass(t, next_one)

    def attendre(self, condition: Callable[[], bool], timeout: float | None, what: str) -> bool:
        """Block the current task until ``condition()`` or the virtual ``timeout``; True if the condition holds."""
        t = self.current_task()
        if self._abandon:
            raise Annulation()
        if condition():
            return True
        if timeout is not None and timeout <= 0:
            return False
        t.condition = condition
        t.deadline = None if timeout is None else self.horloge + timeout
        t.waiting_on = what
        try:
            while True:
                next_one = self._choose(t)
                if next_one is None:
                    self._deadlock()
                if next_one is t:
                    break
                self._pass(t, next_one)
                if t.can_advance(self.horloge):
                    break
        finally:
            t.condition = None
            t.deadline = None
            t.waiting_on = ""
        return condition()

    def _finish(self, t: SimThread) -> None:
        t.finished = True
        if self._abandon:
            return
        next_one = self._choose(None)
        if next_one is None:
            if any(not x.finished for x in self.taches):
                try:
                    self._deadlock()
                except Annulation:
                    pass
            return
        self.current = next_one
        _open(next_one.gate)

    def cancel_if_finished(self) -> None:
        """Raise Annulation while the run is being abandoned: an error met while unwinding is not the student's."""
        if self._abandon:
            raise Annulation()

    def end_of_loading(self) -> None:
        """Forget the loading phase: steps, virtual time and thread numbers start again from zero.

        Called by T0 once every thread started while loading has ended.
        """
        self.pas = 0
        self.horloge = 0.0
        self.offset = len(self.taches) - 1
        self.chargement = False

    def close_all(self) -> None:
        """End the run: every task still waiting unwinds with Annulation."""
        self._abandon_run()

    def _abandon_run(self) -> None:
        """Mark the run abandoned and wake every task (each then unwinds with Annulation)."""
        self._abandon = True
        for t in list(self.taches):
            _open(t.gate)

    # -- tracing -------------------------------------------------------------
    def tracer(self, frame: FrameType, event: str, arg: Any):
        if not self.suivre(frame.f_code):
            return None
        frame.f_trace_opcodes = True
        return self._trace_local

    def _trace_local(self, frame: FrameType, event: str, arg: Any):
        if self._abandon:
            raise Annulation()
        t = self._by_thread.get(_rt.get_ident())
        if t is None or t is not self.current:
            return self._trace_local
        if event == "line":
            t.line = frame.f_lineno
            t.cell = frame.f_code.co_filename
        elif event == "opcode":
            t.line = frame.f_lineno or t.line
            t.cell = frame.f_code.co_filename
            if self.observateur is not None:
                self.observateur.before_opcode(t, frame)
            self.point()
        return self._trace_local
