"""Lifecycle log of the threads a run creates: start, run(), join, end, exceptions."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Event:
    """One lifecycle event, stamped with the scheduler step it happened at."""

    pas: int
    genre: str  # creation | start | run_direct | join | join_fin | fin | exception
    thread: str
    detail: Any = None


@dataclass
class Cycle:
    """What happened to every stand-in Thread of one run.

    A started thread is named like the scheduler names it (T1, T2... in start order, T0 being the thread
    that runs the scenario), so that lifecycle, deadlock and race messages all speak of the same T1.
    """

    ordonnanceur: Any
    threads: list = field(default_factory=list)
    evenements: list[Event] = field(default_factory=list)
    exceptions: list[tuple[str, BaseException]] = field(default_factory=list)
    files: list = field(default_factory=list)
    verrous_crees: int = 0
    vivants_au_retour: list[str] = field(default_factory=list)
    # For every stand-in Lock/RLock, in creation order: the labels of the threads that acquired it.
    preneurs_verrous: list[list[str]] = field(default_factory=list)
    _by_task: dict[int, Any] = field(default_factory=dict)

    def label(self, th: Any) -> str:
        task = getattr(th, "_task", None)
        if task is not None:
            return task.label  # numbered from T1 again after threads a trial call started at load
        return f"(non démarré n°{self.threads.index(th) + 1})" if th in self.threads else "?"

    def creation(self, th: Any) -> None:
        self.threads.append(th)
        self.event("creation", th)

    def task_link(self, num: int, th: Any) -> None:
        self._by_task[num] = th

    def thread_of(self, num: int) -> Any:
        return self._by_task.get(num)

    def event(self, genre: str, th: Any, **detail: Any) -> None:
        self.evenements.append(Event(self.ordonnanceur.pas, genre, self.label(th), detail or None))

    def exception(self, th: Any, e: BaseException) -> None:
        self.exceptions.append((self.label(th), e))
        self.event("exception", th)

    def grade_return(self) -> None:
        """Called when the function under test returns: which threads are still alive."""
        self.vivants_au_retour = [self.label(th) for th in self.threads if th.is_alive()]

    def new_lock(self) -> list[str]:
        """Register a lock; the returned list collects the labels of the threads that take it."""
        self.verrous_crees += 1
        takers: list[str] = []
        self.preneurs_verrous.append(takers)
        return takers

    # -- questions the graders ask ------------------------------------------
    def never_shared_locks(self) -> bool:
        """True when threads other than T0 took locks but no lock was ever taken by two of them."""
        taken = [[t for t in p if t != "T0"] for p in self.preneurs_verrous]
        return any(taken) and not any(len(p) >= 2 for p in taken)

    def having(self, genre: str) -> list[str]:
        seen: list[str] = []
        for e in self.evenements:
            if e.genre == genre and e.thread not in seen:
                seen.append(e.thread)
        return seen

    def demarres(self) -> list[str]:
        return self.having("start")

    def joined(self) -> list[str]:
        """Threads whose join() returned with the thread finished."""
        return self.having("join_fin")

    def start_after_join(self) -> bool:
        """True when some start() came after the first join(): the threads did not all overlap."""
        not_join = [e.pas for e in self.evenements if e.genre == "join"]
        not_start = [e.pas for e in self.evenements if e.genre == "start"]
        return bool(not_join and not_start) and max(not_start) > min(not_join)
