"""The per-run context every stand-in is bound to: scheduler, happens-before observer, lifecycle log, clock."""
from __future__ import annotations

import sys
from typing import Any

from .cycle import Cycle
from .hb import Observer
from .scheduler import Scheduler

VIRTUAL_EPOCH = 1_700_000_000.0  # what time.time() says at virtual instant 0


class VirtualClock:
    """The run's virtual time, like trio's ``MockClock`` with autojump at threshold 0.

    Time never follows the wall clock. The scheduler owns the instant (``Ordonnanceur.horloge``, kept there
    because the per-opcode sequence point adds ``QUANTUM`` to it) and moves it two ways only: one quantum
    per sequence point, so that spinning on ``time()`` ends; and, when every task waits, a jump to the
    nearest deadline. Stand-ins read time through this object and never change it.
    """

    __slots__ = ("_scheduler",)
    epoch = VIRTUAL_EPOCH

    def __init__(self, scheduler: Scheduler) -> None:
        self._scheduler = scheduler

    def current_time(self) -> float:
        """Virtual seconds since the scenario started (the loading phase is forgotten)."""
        return self._scheduler.horloge

    def deadline(self, timeout: float | None) -> float | None:
        """The instant ``timeout`` seconds from now; None stays None (no deadline)."""
        return None if timeout is None else self._scheduler.horloge + timeout

    def remaining(self, deadline: float | None) -> float | None:
        """Seconds left until ``deadline`` (negative once passed); None for no deadline."""
        return None if deadline is None else deadline - self._scheduler.horloge


class StandIn:
    """Root of every stand-in class bound to a run.

    The module-level classes are never used directly by student code: each run hands out a subclass
    (:meth:`RunContext.bind`) whose only addition is ``_standin_context``. A stand-in method reaches its run
    through ``self._standin_context``; a student who replaces an attribute of ``threading.Lock`` changes
    that run's subclass only, and one who reaches the module-level class is caught by the jail's fingerprint.
    """

    _standin_context: Any = None


class Binder:
    """Hands out, once per run, the subclass of a stand-in class bound to this run."""

    def __init__(self) -> None:
        self._bound: dict[type, type] = {}

    def bind(self, cls: type) -> type:
        """The subclass of ``cls`` bound to this run, created at first use.

        Public stand-in bases are bound too, so that the run's Timer stays a subclass of the run's Thread and
        its BoundedSemaphore of its Semaphore (``isinstance`` answers as with the real module). Private bases
        (a leading underscore: no student code can name them) are not.
        """
        bound = self._bound.get(cls)
        if bound is None:
            parents = tuple(self.bind(b) for b in cls.__bases__
                            if b is not StandIn and issubclass(b, StandIn) and not b.__name__.startswith("_"))
            bound = type(cls.__name__, (cls, *parents), {"_standin_context": self, "__module__": cls.__module__,
                                                          "__qualname__": cls.__qualname__})
            self._bound[cls] = bound
        return bound

    def new(self, cls: type, *args: Any, **kwargs: Any) -> Any:
        """An instance of ``cls`` bound to this run (for stand-ins that build others: a Condition's RLock)."""
        return self.bind(cls)(*args, **kwargs)


class RunContext(Binder):
    """Everything one seeded run's stand-ins share; created by the harness, dropped with the run."""

    def __init__(self, scheduler: Scheduler, observer: Observer, lifecycle: Cycle) -> None:
        super().__init__()
        self.scheduler = scheduler
        self.observer = observer
        self.lifecycle = lifecycle
        self.clock = VirtualClock(scheduler)
        self.threads_named = 0  # Thread-N names, in construction order, as CPython numbers them
        self.main_thread: Any = None  # built by the threading stand-in at first use

    def tampered(self) -> list[str]:
        """What student code changed in the stand-in classes: a bound class, or this run's table of them."""
        found = tampered_bindings()
        for cls, bound in dict.items(self._bound):  # dict.items: the table's own content
            if (type(bound) is not type or _TYPE_BASES(bound)[0] is not cls
                    or any(type(k) is not str for k in _TYPE_DICT(bound))
                    or _TYPE_DICT(bound).get("_standin_context") is not self):
                found.append("table des classes")
        return found



# type's own descriptors: a student metaclass cannot answer for them.
_TYPE_DICT = type.__dict__["__dict__"].__get__
_TYPE_BASES = type.__dict__["__bases__"].__get__
_TYPE_MODULE = type.__dict__["__module__"].__get__
_TYPE_QUALNAME = type.__dict__["__qualname__"].__get__
_BOUND_KEYS = frozenset({"_standin_context", "__module__", "__doc__"})  # what Binder.bind puts in a subclass


def tampered_bindings() -> list[str]:
    """The run-bound stand-in classes that student code changed (empty when none was).

    A bound class is shared by the student's namespace and the grader's scenario, so a student who replaced
    ``threading.Thread.start`` would change how the grader's own threads run. Bound classes never change after
    Binder.bind made them; the walk starts from StandIn through ``type.__subclasses__`` (which no class can
    override) so that a class dropped from a Binder's table is still seen. A class counts as bound when its
    own dict names a context; its first base must be the module-level stand-in its module really exports.
    """
    tampered = []
    seen: set[int] = set()
    todo = list(type.__subclasses__(StandIn))
    while todo:
        cls = todo.pop()
        if id(cls) in seen:
            continue
        seen.add(id(cls))
        todo.extend(type.__subclasses__(cls))
        own = _TYPE_DICT(cls)
        if any(type(k) is not str for k in own):  # a str subclass could run code when compared
            tampered.append(f"classe {_TYPE_QUALNAME(cls)}")
            continue
        if "_standin_context" not in own:
            continue
        base = _TYPE_BASES(cls)[0]
        home = sys.modules.get(_TYPE_MODULE(base))
        if (len(own) != len(_BOUND_KEYS) or any(k not in _BOUND_KEYS for k in own)
                or not issubclass(type(own["_standin_context"]), Binder) or "_standin_context" in _TYPE_DICT(base)
                or getattr(home, _TYPE_QUALNAME(base), None) is not base):
            tampered.append(f"classe {_TYPE_QUALNAME(cls)}")
    return tampered
