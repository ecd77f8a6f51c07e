"""Stand-ins built only from the cooperative ones: threading.Barrier and a thread-based concurrent.futures.

Real ones would block real threads behind the scheduler's back (a Barrier) or start threads it does not
manage (an executor's workers). Built on the stand-in Condition and Thread, they inherit the virtual clock,
the happens-before edges, the deadlock report and the thread lifecycle log.
"""
from __future__ import annotations

import os
import threading as _rt
from collections import deque
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION
from concurrent.futures._base import DoneAndNotDoneFutures
from typing import Any, Callable, Iterable, Iterator

from .futures_state import CANCELLED, FINISHED, PENDING, FutureState
from .run_context import RunContext, StandIn
from .standins import Condition, Lock
from .standins_threads import Thread


def _condition(run: RunContext) -> Any:
    """A new stand-in Condition on a new stand-in Lock, bound to ``run``."""
    return run.new(Condition, run.new(Lock))


class Barrier(StandIn):
    """threading.Barrier on the stand-in Condition (same generation algorithm as CPython's, simplified)."""

    def __init__(self, parts: int, action: Callable | None = None, timeout: float | None = None) -> None:
        if parts < 1:
            raise ValueError("parties must be > 0")
        self._cond = _condition(self._standin_context)
        self._parts, self._action, self._timeout = parts, action, timeout
        self._account = 0
        self._generation = 0
        self._broken = False

    def wait(self, timeout: float | None = None) -> int:
        timeout = self._timeout if timeout is None else timeout
        with self._cond:
            if self._broken:
                raise _rt.BrokenBarrierError
            generation, indice = self._generation, self._account
            self._account += 1
            if self._account == self._parts:  # the last one in releases this generation
                try:
                    if self._action is not None:
                        self._action()
                except BaseException:
                    self._break()
                    raise
                self._account, self._generation = 0, self._generation + 1
                self._cond.notify_all()
                return indice
            # Invariant: a generation ends (counter back to 0) or the barrier breaks, never both silently.
            if not self._cond.wait_for(lambda: self._generation != generation or self._broken, timeout):
                self._break()
            if self._generation == generation:
                raise _rt.BrokenBarrierError
            return indice

    def _break(self) -> None:
        self._broken = True
        self._account = 0
        self._cond.notify_all()

    def abort(self) -> None:
        with self._cond:
            self._break()

    def reset(self) -> None:
        with self._cond:
            if self._account:
                self._break()
            self._broken, self._account, self._generation = False, 0, self._generation + 1

    parts = property(lambda self: self._parts)
    n_waiting = property(lambda self: self._account)
    broken = property(lambda self: self._broken)


class Future(FutureState, StandIn):
    """concurrent.futures.Future whose waits block on a stand-in Condition (virtual time, deadlock report)."""

    def __init__(self) -> None:
        super().__init__()
        self._cond = _condition(self._standin_context)

    def _start(self) -> bool:
        with self._cond:
            return self._mark_running()

    def _settle(self, valeur: Any = None, exc: BaseException | None = None, state: str = FINISHED) -> None:
        with self._cond:
            self._set(valeur, exc, state)
            self._cond.notify_all()
        self._warn()  # like CPython: outside the future's lock, in the completing thread

    def _wait(self, timeout: float | None) -> None:
        with self._cond:
            if not self._cond.wait_for(self._finished, timeout):
                raise TimeoutError()

    def cancel(self) -> bool:
        if self._state == PENDING:
            self._settle(state=CANCELLED)
        return self._state == CANCELLED


class ThreadPoolExecutor(StandIn):
    """concurrent.futures.ThreadPoolExecutor whose workers are stand-in threads.

    One new worker per submit up to max_workers, never reusing an idle one first (CPython >= 3.8 does): the
    number of threads then depends on nothing but the calls, whatever the schedule.
    """

    def __init__(self, max_workers: int | None = None, thread_name_prefix: str = "",
                 initializer: Callable | None = None, initargs: tuple = ()) -> None:
        if max_workers is None:
            max_workers = min(32, (os.cpu_count() or 1) + 4)
        if max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        self._max = max_workers
        self._prefix = thread_name_prefix or "ThreadPoolExecutor"
        self._init, self._initargs = initializer, tuple(initargs)
        self._cond = _condition(self._standin_context)
        self._work: deque = deque()
        self._workers: list = []
        self._closed = False

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        run = self._standin_context
        with self._cond:
            if self._closed:
                raise RuntimeError("cannot schedule new futures after shutdown")
            f = run.new(Future)
            self._work.append((f, fn, args, kwargs))
            self._cond.notify()
        if len(self._workers) < self._max:
            o = run.new(Thread, target=self._worker, name=f"{self._prefix}_{len(self._workers)}")
            self._workers.append(o)
            o.start()
        return f

    def _worker(self) -> None:
        if self._init is not None:
            self._init(*self._initargs)
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._work)
                element = self._work.popleft()
            if element is None:  # shutdown's sentinel: one per worker
                return
            f, fn, args, kwargs = element
            if not f._start():
                continue
            try:
                valeur = fn(*args, **kwargs)
            except BaseException as e:  # noqa: BLE001 - stored in the future, as CPython does
                f._settle(exc=e)
            else:
                f._settle(valeur)

    def map(self, fn: Callable, *iterables: Iterable, timeout: float | None = None,
            chunksize: int = 1) -> Iterator:
        fs = [self.submit(fn, *args) for args in zip(*iterables)]  # submitted now, as CPython does

        def resultats() -> Iterator:
            for f in fs:
                yield f.result(timeout)
        return resultats()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._cond:
            if cancel_futures:
                while self._work:
                    element = self._work.popleft()
                    if element is not None:
                        element[0].cancel()
            if not self._closed:
                self._closed = True
                self._work.extend([None] * len(self._workers))
                self._cond.notify_all()
        if wait:
            for o in self._workers:
                o.join()

    def __enter__(self) -> "ThreadPoolExecutor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown(wait=True)


def wait(run: RunContext, fs: Iterable[Future], timeout: float | None = None,
         return_when: str = ALL_COMPLETED) -> DoneAndNotDoneFutures:
    """concurrent.futures.wait for ``run``'s futures: blocks on a stand-in Condition their callbacks notify."""
    fs = set(fs)
    cond = _condition(run)

    def finished() -> bool:
        facts = [f for f in fs if f.done()]
        if return_when == FIRST_COMPLETED:
            return bool(facts)
        if return_when == FIRST_EXCEPTION and any(not f.cancelled() and f._exc is not None for f in facts):
            return True
        return len(facts) == len(fs)

    def warn(_f: Future) -> None:
        with cond:
            cond.notify_all()

    for f in fs:
        f.add_done_callback(warn)
    with cond:
        cond.wait_for(finished, timeout)
    facts = {f for f in fs if f.done()}
    return DoneAndNotDoneFutures(facts, fs - facts)


def as_completed(run: RunContext, fs: Iterable[Future], timeout: float | None = None) -> Iterator[Future]:
    """concurrent.futures.as_completed for ``run``'s futures, built on :func:`wait`."""
    remaining = list(dict.fromkeys(fs))
    while remaining:
        facts, _ = wait(run, remaining, timeout, FIRST_COMPLETED)
        if not facts:
            raise TimeoutError(f"{len(remaining)} (of {len(remaining)}) futures unfinished")
        for f in [f for f in remaining if f in facts]:
            remaining.remove(f)
            yield f


def no_process(*_a: Any, **_k: Any) -> Any:
    """ProcessPoolExecutor under the scheduler: refused, the exercise is about threads."""
    raise RuntimeError("ProcessPoolExecutor n'est pas disponible dans cet exercice : utilisez des threads.")
