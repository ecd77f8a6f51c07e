"""Happens-before race detection with vector clocks, and the access log it reads."""
from __future__ import annotations

import dis
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Any

from .scheduler import SimThread

# Vector-clock rules (FastTrack-like, without its epoch optimisation):
# - each task's own component starts at 1 and grows at every release-like event;
# - release(obj): obj.vc |= t.vc ; t.vc[t] += 1      acquire(obj): t.vc |= obj.vc
# - start: child.vc = parent.vc (scheduler) ; join: parent.vc |= child.vc at its end
# - an access (tid, c) happens before task u iff c <= u.vc[tid].
# A race is two accesses to one variable, one of them a write, neither before the other.


def join(dest: dict[int, int], src: dict[int, int]) -> None:
    """dest := dest ⊔ src (component-wise max)."""
    for k, v in src.items():
        if dest.get(k, 0) < v:
            dest[k] = v


def publish(t: SimThread, clock_object: dict[int, int]) -> None:
    """Release edge: the object remembers everything t did so far; t moves on."""
    join(clock_object, t.vc)
    t.vc[t.num] = t.vc.get(t.num, 0) + 1


def acquire_clock(t: SimThread, clock_object: dict[int, int]) -> None:
    """Acquire edge: t now knows everything published into the object."""
    join(t.vc, clock_object)


@dataclass(frozen=True)
class Access:
    """One read or write of a watched variable, as logged for the story."""

    task: str
    line: int
    cell: str
    genre: str  # "lit" | "écrit"
    variable: str
    valeur: Any


@dataclass
class Race:
    """Two unordered accesses to one variable."""

    variable: str
    first_one: Access
    second: Access


@dataclass
class _VariableState:
    ecriture: tuple[int, int, Access] | None = None
    reads: dict[int, tuple[int, Access]] = field(default_factory=dict)


def _instructions(code: CodeType) -> dict[int, tuple[str, str]]:
    table: dict[int, tuple[str, str]] = {}
    for ins in dis.get_instructions(code):
        if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
            table[ins.offset] = ("lit", ins.argval)
        elif ins.opname in ("STORE_GLOBAL", "STORE_NAME"):
            table[ins.offset] = ("écrit", ins.argval)
    return table


class Observer:
    """Logs accesses to watched globals and attributes and checks them against happens-before."""

    def __init__(self, globales: set[str] | None = None, log_limit: int = 5_000) -> None:
        self.globales = globales or set()
        self.journal: list[Access] = []
        self.courses: list[Race] = []
        self._states: dict[str, _VariableState] = {}
        self._tables: dict[CodeType, dict[int, tuple[str, str]]] = {}
        self._waiting: dict[int, tuple[str, str, FrameType, int]] = {}
        self.log_limit = log_limit

    # -- opcode hook (globals) ----------------------------------------------
    # Invariant: an access is logged after its instruction ran and before the task's next sequence
    # point (so no other task can run in between): the logged value is the one really read or written.
    def before_opcode(self, t: SimThread, frame: FrameType) -> None:
        self.empty(t)
        if not self.globales:
            return
        table = self._tables.get(frame.f_code)
        if table is None:
            table = self._tables[frame.f_code] = _instructions(frame.f_code)
        op = table.get(frame.f_lasti)
        if op is not None and op[1] in self.globales:
            # The line is taken now: by the time the access is logged, t.ligne is the next instruction's.
            self._waiting[t.num] = (op[0], op[1], frame, t.line)

    def empty(self, t: SimThread) -> None:
        """Log the access whose instruction ``t`` has just executed, if any."""
        waiting_on = self._waiting.pop(t.num, None)
        if waiting_on is not None:
            genre, nom, f, line = waiting_on
            self.access(t, genre, nom, f.f_globals.get(nom), line)

    # -- the check itself -----------------------------------------------------
    def access(self, t: SimThread, genre: str, variable: str, valeur: Any, line: int | None = None) -> None:
        a = Access(t.label, t.line if line is None else line, t.cell, genre, variable, _safe_copy(valeur))
        if len(self.journal) < self.log_limit:
            self.journal.append(a)
        state = self._states.setdefault(variable, _VariableState())
        if state.ecriture is not None:
            wt, wc, wa = state.ecriture
            if wt != t.num and wc > t.vc.get(wt, 0):
                self._report(variable, wa, a)
        if genre == "lit":
            state.reads[t.num] = (t.vc.get(t.num, 0), a)
            return
        for rt_, (rc, ra) in state.reads.items():
            if rt_ != t.num and rc > t.vc.get(rt_, 0):
                self._report(variable, ra, a)
        state.ecriture = (t.num, t.vc.get(t.num, 0), a)
        state.reads = {}

    def instrument(self, cls: type, ordonnanceur: Any) -> type:
        """See the module-level :func:`instrumenter`."""
        return instrument(self, cls, ordonnanceur)

    def _report(self, variable: str, first_one: Access, second: Access) -> None:
        if len(self.courses) < 20:
            self.courses.append(Race(variable, first_one, second))


def _safe_copy(valeur: Any) -> Any:
    """Keep plain values only: a student object must not run code when the log is read."""
    if type(valeur) in (int, float, bool, str, type(None)):
        return valeur
    return f"<{type(valeur).__name__}>"


def instrument(observateur: Observer, cls: type, ordonnanceur: Any) -> type:
    """A subclass of the student's ``cls`` whose instance attribute reads and writes are logged."""

    def task() -> SimThread:
        return ordonnanceur.current_task()

    class Observed(cls):  # type: ignore[misc, valid-type]
        def __getattribute__(self, nom: str) -> Any:
            valeur = super().__getattribute__(nom)
            if not nom.startswith("__"):
                try:
                    d = object.__getattribute__(self, "__dict__")
                except AttributeError:
                    d = {}
                if nom in d:
                    observateur.access(task(), "lit", "self." + nom, valeur)
            return valeur

        def __setattr__(self, nom: str, valeur: Any) -> None:
            super().__setattr__(nom, valeur)
            observateur.access(task(), "écrit", "self." + nom, valeur)

    Observed.__name__ = Observed.__qualname__ = cls.__name__
    return Observed
