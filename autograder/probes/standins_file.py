"""Cooperative stand-ins for queue.Queue (and its variants) and for time, on a virtual clock."""
from __future__ import annotations

import heapq
import queue as _vraie_queue
import time as _vrai_time
from collections import deque
from typing import Any

from .cycle import Cycle
from .hb import acquerir, publier
from .scheduler import Ordonnanceur

ORIGINE_VIRTUELLE = 1_700_000_000.0  # what time.time() says at virtual instant 0


def fabriquer_queue(o: Ordonnanceur, cycle: Cycle) -> dict[str, Any]:
    """The names of a ``queue`` module whose blocking calls yield to ``o``."""

    class Queue:
        def __init__(self, maxsize: int = 0) -> None:
            self.maxsize = maxsize
            self._init()
            self._inacheves = 0
            self._vc_join: dict[int, int] = {}
            self.nb_put = self.nb_get = self.nb_task_done = 0
            cycle.files.append(self)

        def _init(self) -> None:
            self._elements: Any = deque()

        def _ajouter(self, e: Any) -> None:
            self._elements.append(e)

        def _retirer(self) -> Any:
            return self._elements.popleft()

        def qsize(self) -> int:
            o.point()
            return len(self._elements)

        def empty(self) -> bool:
            o.point()
            return not self._elements

        @property
        def unfinished_tasks(self) -> int:
            return self._inacheves

        def full(self) -> bool:
            return 0 < self.maxsize <= len(self._elements)

        def put(self, item: Any, block: bool = True, timeout: float | None = None) -> None:
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
            publier(o.tache_courante(), self._vc_join)

        def join(self) -> None:
            o.point()
            t = o.tache_courante()
            o.attendre(lambda: self._inacheves == 0, None,
                       f"Queue.join() : {self._inacheves} élément(s) sans task_done (ligne {t.ligne})")
            acquerir(t, self._vc_join)

    class LifoQueue(Queue):
        def _init(self) -> None:
            self._elements = []

        def _retirer(self) -> Any:
            return self._elements.pop()

    class PriorityQueue(Queue):
        def _init(self) -> None:
            self._elements = []
            self._n = 0

        def _ajouter(self, e: Any) -> None:
            self._n += 1
            heapq.heappush(self._elements, (e[0], self._n, e))

        def _retirer(self) -> Any:
            return heapq.heappop(self._elements)[2]

    class SimpleQueue(Queue):
        def __init__(self) -> None:
            super().__init__(0)

    return {"Queue": Queue, "LifoQueue": LifoQueue, "PriorityQueue": PriorityQueue,
            "SimpleQueue": SimpleQueue, "Empty": _vraie_queue.Empty, "Full": _vraie_queue.Full}


def fabriquer_time(o: Ordonnanceur) -> dict[str, Any]:
    """The names of a ``time`` module on the scheduler's virtual clock."""

    def sleep(secondes: float) -> None:
        if secondes < 0:
            raise ValueError("sleep length must be non-negative")
        o.point()
        t = o.tache_courante()
        o.attendre(lambda: False, float(secondes), f"time.sleep({secondes}) (ligne {t.ligne})")

    def maintenant() -> float:
        o.point()
        return o.horloge

    noms = {k: getattr(_vrai_time, k) for k in dir(_vrai_time) if not k.startswith("_")}
    noms.update({
        "sleep": sleep,
        "time": lambda: ORIGINE_VIRTUELLE + maintenant(),
        "time_ns": lambda: int((ORIGINE_VIRTUELLE + maintenant()) * 1e9),
        "monotonic": maintenant, "perf_counter": maintenant,
        "process_time": maintenant, "thread_time": maintenant,
        "monotonic_ns": lambda: int(maintenant() * 1e9),
        "perf_counter_ns": lambda: int(maintenant() * 1e9),
    })
    return noms
