"""Cooperative stand-ins for queue.Queue (and its variants) and for time, on the run's virtual clock."""
from __future__ import annotations

import heapq
import queue as _real_queue
from collections import deque
from typing import Any

from .hb import acquire_clock, publish
from .run_context import RunContext, StandIn



class Queue(StandIn):
    """queue.Queue: put() is a release edge for its item, get() an acquire edge; blocking calls wait virtually.

    ``nb_put``, ``nb_get`` and ``nb_task_done`` count the calls for the graders; every queue a run creates
    is listed in ``lifecycle.files``.
    """

    def __init__(self, maxsize: int = 0) -> None:
        self.maxsize = maxsize
        self._init()
        self._unfinished = 0
        self._vc_join: dict[int, int] = {}
        self.nb_put = self.nb_get = self.nb_task_done = 0
        self._standin_context.lifecycle.files.append(self)

    def _init(self) -> None:
        self._items: Any = deque()

    def _add(self, e: Any) -> None:
        self._items.append(e)

    def _withdraw(self) -> Any:
        return self._items.popleft()

    def qsize(self) -> int:
        self._standin_context.scheduler.point()
        return len(self._items)

    def empty(self) -> bool:
        self._standin_context.scheduler.point()
        return not self._items

    @property
    def unfinished_tasks(self) -> int:
        return self._unfinished

    def full(self) -> bool:
        return 0 < self.maxsize <= len(self._items)

    def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
        o = self._standin_context.scheduler
        o.point()
        t = o.current_task()
        if 0 < self.maxsize <= len(self._items):
            if not block:
                raise _real_queue.Full
            if not o.attendre(lambda: len(self._items) < self.maxsize, timeout,
                              f"une place libre dans la file (put, ligne {t.line})"):
                raise _real_queue.Full
        vc: dict[int, int] = {}
        publish(t, vc)
        self._add((item, vc))
        self._unfinished += 1
        self.nb_put += 1

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        o = self._standin_context.scheduler
        o.point()
        t = o.current_task()
        if not self._items:
            if not block:
                raise _real_queue.Empty
            if not o.attendre(lambda: bool(self._items), timeout,
                              f"un élément de la file (get, ligne {t.line})"):
                raise _real_queue.Empty
        item, vc = self._withdraw()
        acquire_clock(t, vc)
        self.nb_get += 1
        return item

    def put_nowait(self, item: Any) -> None:
        self.put(item, block=False)

    def get_nowait(self) -> Any:
        return self.get(block=False)

    def task_done(self) -> None:
        if self._unfinished <= 0:
            raise ValueError("task_done() called too many times")
        self._unfinished -= 1
        self.nb_task_done += 1
        publish(self._standin_context.scheduler.current_task(), self._vc_join)

    def join(self) -> None:
        o = self._standin_context.scheduler
        o.point()
        t = o.current_task()
        o.attendre(lambda: self._unfinished == 0, None,
                   f"Queue.join() : {self._unfinished} élément(s) sans task_done (ligne {t.line})")
        acquire_clock(t, self._vc_join)


class LifoQueue(Queue):
    """queue.LifoQueue: last in, first out."""

    def _init(self) -> None:
        self._items = []

    def _withdraw(self) -> Any:
        return self._items.pop()


class PriorityQueue(Queue):
    """queue.PriorityQueue: smallest first; equal items in insertion order."""

    def _init(self) -> None:
        self._items = []
        self._n = 0

    def _add(self, e: Any) -> None:
        self._n += 1
        heapq.heappush(self._items, (e[0], self._n, e))

    def _withdraw(self) -> Any:
        return heapq.heappop(self._items)[2]


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

    def sleep(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        o = self._run.scheduler
        o.point()
        t = o.current_task()
        o.attendre(lambda: False, float(seconds), f"time.sleep({seconds}) (ligne {t.line})")

    def monotonic(self) -> float:
        self._run.scheduler.point()
        return self._run.clock.current_time()

    def time(self) -> float:
        return self._run.clock.epoch + self.monotonic()

    def time_ns(self) -> int:
        return int((self._run.clock.epoch + self.monotonic()) * 1e9)

    def monotonic_ns(self) -> int:
        return int(self.monotonic() * 1e9)
