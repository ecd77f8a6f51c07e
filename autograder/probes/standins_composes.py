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

    def __init__(self, parties: int, action: Callable | None = None, timeout: float | None = None) -> None:
        if parties < 1:
            raise ValueError("parties must be > 0")
        self._cond = _condition(self._standin_context)
        self._parties, self._action, self._timeout = parties, action, timeout
        self._compte = 0
        self._generation = 0
        self._cassee = False

    def wait(self, timeout: float | None = None) -> int:
        timeout = self._timeout if timeout is None else timeout
        with self._cond:
            if self._cassee:
                raise _rt.BrokenBarrierError
            generation, indice = self._generation, self._compte
            self._compte += 1
            if self._compte == self._parties:  # the last one in releases this generation
                try:
                    if self._action is not None:
                        self._action()
                except BaseException:
                    self._casser()
                    raise
                self._compte, self._generation = 0, self._generation + 1
                self._cond.notify_all()
                return indice
            # Invariant: a generation ends (counter back to 0) or the barrier breaks, never both silently.
            if not self._cond.wait_for(lambda: self._generation != generation or self._cassee, timeout):
                self._casser()
            if self._generation == generation:
                raise _rt.BrokenBarrierError
            return indice

    def _casser(self) -> None:
        self._cassee = True
        self._compte = 0
        self._cond.notify_all()

    def abort(self) -> None:
        with self._cond:
            self._casser()

    def reset(self) -> None:
        with self._cond:
            if self._compte:
                self._casser()
            self._cassee, self._compte, self._generation = False, 0, self._generation + 1

    parties = property(lambda self: self._parties)
    n_waiting = property(lambda self: self._compte)
    broken = property(lambda self: self._cassee)


class Future(FutureState, StandIn):
    """concurrent.futures.Future whose waits block on a stand-in Condition (virtual time, deadlock report)."""

    def __init__(self) -> None:
        super().__init__()
        self._cond = _condition(self._standin_context)

    def _demarrer(self) -> bool:
        with self._cond:
            return self._passer_en_cours()

    def _regler(self, valeur: Any = None, exc: BaseException | None = None, etat: str = FINISHED) -> None:
        with self._cond:
            self._fixer(valeur, exc, etat)
            self._cond.notify_all()
        self._prevenir()  # like CPython: outside the future's lock, in the completing thread

    def _attendre(self, timeout: float | None) -> None:
        with self._cond:
            if not self._cond.wait_for(self._fini, timeout):
                raise TimeoutError()

    def cancel(self) -> bool:
        if self._etat == PENDING:
            self._regler(etat=CANCELLED)
        return self._etat == CANCELLED


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
        self._prefixe = thread_name_prefix or "ThreadPoolExecutor"
        self._init, self._initargs = initializer, tuple(initargs)
        self._cond = _condition(self._standin_context)
        self._travail: deque = deque()
        self._ouvriers: list = []
        self._ferme = False

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        run = self._standin_context
        with self._cond:
            if self._ferme:
                raise RuntimeError("cannot schedule new futures after shutdown")
            f = run.new(Future)
            self._travail.append((f, fn, args, kwargs))
            self._cond.notify()
        if len(self._ouvriers) < self._max:
            o = run.new(Thread, target=self._ouvrier, name=f"{self._prefixe}_{len(self._ouvriers)}")
            self._ouvriers.append(o)
            o.start()
        return f

    def _ouvrier(self) -> None:
        if self._init is not None:
            self._init(*self._initargs)
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._travail)
                element = self._travail.popleft()
            if element is None:  # shutdown's sentinel: one per worker
                return
            f, fn, args, kwargs = element
            if not f._demarrer():
                continue
            try:
                valeur = fn(*args, **kwargs)
            except BaseException as e:  # noqa: BLE001 - stored in the future, as CPython does
                f._regler(exc=e)
            else:
                f._regler(valeur)

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
                while self._travail:
                    element = self._travail.popleft()
                    if element is not None:
                        element[0].cancel()
            if not self._ferme:
                self._ferme = True
                self._travail.extend([None] * len(self._ouvriers))
                self._cond.notify_all()
        if wait:
            for o in self._ouvriers:
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

    def fini() -> bool:
        faits = [f for f in fs if f.done()]
        if return_when == FIRST_COMPLETED:
            return bool(faits)
        if return_when == FIRST_EXCEPTION and any(not f.cancelled() and f._exc is not None for f in faits):
            return True
        return len(faits) == len(fs)

    def prevenir(_f: Future) -> None:
        with cond:
            cond.notify_all()

    for f in fs:
        f.add_done_callback(prevenir)
    with cond:
        cond.wait_for(fini, timeout)
    faits = {f for f in fs if f.done()}
    return DoneAndNotDoneFutures(faits, fs - faits)


def as_completed(run: RunContext, fs: Iterable[Future], timeout: float | None = None) -> Iterator[Future]:
    """concurrent.futures.as_completed for ``run``'s futures, built on :func:`wait`."""
    restants = list(dict.fromkeys(fs))
    while restants:
        faits, _ = wait(run, restants, timeout, FIRST_COMPLETED)
        if not faits:
            raise TimeoutError(f"{len(restants)} (of {len(restants)}) futures unfinished")
        for f in [f for f in restants if f in faits]:
            restants.remove(f)
            yield f


def pas_de_processus(*_a: Any, **_k: Any) -> Any:
    """ProcessPoolExecutor under the scheduler: refused, the exercise is about threads."""
    raise RuntimeError("ProcessPoolExecutor n'est pas disponible dans cet exercice : utilisez des threads.")
