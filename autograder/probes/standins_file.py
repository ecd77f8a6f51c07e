"""Cooperative stand-ins for queue.Queue (and its variants) and for time, on the run's virtual clock."""
from __future__ import annotations

import heapq
import queue as _vraie_queue
from collections import deque
from typing import Any

from .hb import acquerir, publier
from .run_context import RunContext, StandIn



class Queue(StandIn):
    """queue.Queue: put() is a release edge for its item, get() an acquire edge; blocking calls wait virtually.

    ``nb_put``, ``nb_get`` and ``nb_task_done`` count the calls for the graders; every queue a run creates
    is listed in ``lifecycle.files``.
    """

    def __init__(self, maxsize: int = 0) -> None:
        self.maxsize = maxsize
        self._init()
        self._inacheves = 0
        self._vc_join: dict[int, int] = {}
        self.nb_put = self.nb_get = self.nb_task_done = 0
        self._standin_context.lifecycle.files.append(self)

    def _init(self) -> None:
        self._elements: Any = deque()

    def _ajouter(self, e: Any) -> None:
        self._elements.append(e)

    def _retirer(self) -> Any:
        return self._elements.popleft()

    def qsize(self) -> int:
        self._standin_context.scheduler.point()
        return len(self._elements)

    def empty(self) -> bool:
        self._standin_context.scheduler.point()
        return not self._elements

    @property
    def unfinished_tasks(self) -> int:
        return self._inacheves

    def full(self) -> bool:
        return 0 < self.maxsize <= len(self._elements)

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        o = self._standin_context.scheduler
        o.point()
        t = o.tache_courante()
        if 0 < self.maxsize <= len(self._elements):
            if not block:
                raise _vraie_queue.Full
            if not o.attendre(lambda: len(self._elements) < self.maxsize, timeout,
                              f"une place libre dans la file (put, ligne {t.ligne})"):
                raise _vraie_queue.Full
        vc: dict[int, int] = {}
        publier(t, vc)
        self._ajouter((item, vc))
        self._inacheves += 1
        self.nb_put += 1

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        o = self._standin_context.scheduler
        o.point()
        t = o.tache_courante()
        if not self._elements:
            if not block:
                raise _vraie_queue.Empty
            if not o.attendre(lambda: bool(self._elements), timeout,
                              f"un élément de la file (get, ligne {t.ligne})"):
                raise _vraie_queue.Empty
        item, vc = self._retirer()
        acquerir(t, vc)
        self.nb_get += 1
        return item

    def put_nowait(self, item: Any) -> None:
        self.put(item, block=False)

    def get_nowait(self) -> Any:
        return self.get(block=False)

    def task_done(self) -> None:
        if self._inacheves <= 0:
            raise ValueError("task_done() called too many times")
        self._inacheves -= 1
        self.nb_task_done += 1
        publier(self._standin_context.scheduler.tache_courante(), self._vc_join)

    def join(self) -> None:
        o = self._standin_context.scheduler
        o.point()
        t = o.tache_courante()
        o.attendre(lambda: self._inacheves == 0, None,
                   f"Queue.join() : {self._inacheves} élément(s) sans task_done (ligne {t.ligne})")
        acquerir(t, self._vc_join)


class LifoQueue(Queue):
    """queue.LifoQueue: last in, first out."""

    def _init(self) -> None:
        self._elements = []

    def _retirer(self) -> Any:
        return self._elements.pop()


class PriorityQueue(Queue):
    """queue.PriorityQueue: smallest first; equal items in insertion order."""

    def _init(self) -> None:
        self._elements = []
        self._n = 0

    def _ajouter(self, e: Any) -> None:
        self._n += 1
        heapq.heappush(self._elements, (e[0], self._n, e))

    def _retirer(self) -> Any:
        return heapq.heappop(self._elements)[2]


class SimpleQueue(Queue):
    """queue.SimpleQueue: an unbounded Queue."""

    def __init__(self) -> None:
        super().__init__(0)


class TimeFunctions:
    """The time module's clock functions for one run (their bound methods are the module's names).

    Reading the time is a sequence point (another thread may run between two readings); sleep() waits on
    the virtual clock, so a run that sleeps 1000 s ends at once with 1000 virtual seconds elapsed.
    """

    __slots__ = ("_run",)

    def __init__(self, run: RunContext) -> None:
        self._run = run

    def sleep(self, secondes: float) -> None:
        if secondes < 0:
            raise ValueError("sleep length must be non-negative")
        o = self._run.scheduler
        o.point()
        t = o.tache_courante()
        o.attendre(lambda: False, float(secondes), f"time.sleep({secondes}) (ligne {t.ligne})")

    def monotonic(self) -> float:
        self._run.scheduler.point()
        return self._run.clock.current_time()

    def time(self) -> float:
        return self._run.clock.epoch + self.monotonic()

    def time_ns(self) -> int:
        return int((self._run.clock.epoch + self.monotonic()) * 1e9)

    def monotonic_ns(self) -> int:
        return int(self.monotonic() * 1e9)
