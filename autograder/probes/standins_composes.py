"""Stand-ins built only from the cooperative ones: threading.Barrier and a thread-based concurrent.futures.

Real ones would block real threads behind the scheduler's back (a Barrier) or start threads it does not
manage (an executor's workers). Built on the stand-in Condition and Thread, they inherit the virtual clock,
the happens-before edges, the deadlock report and the thread lifecycle log.
"""
from __future__ import annotations

import os
import threading as _rt
import types
from collections import deque
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, CancelledError
from typing import Any, Callable, Iterable, Iterator, NamedTuple



class DoneAndNotDoneFutures(NamedTuple):
    done: set
    not_done: set


def fabriquer_barriere(th: types.ModuleType) -> type:
    """threading.Barrier on the stand-in Condition (same generation algorithm as CPython's, simplified)."""

    class Barrier:
        def __init__(self, parties: int, action: Callable | None = None, timeout: float | None = None) -> None:
            if parties < 1:
                raise ValueError("parties must be > 0")
            self._cond = th.Condition(th.Lock())
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

    return Barrier


def fabriquer_futures(th: types.ModuleType) -> dict[str, types.ModuleType]:
    """``concurrent`` and ``concurrent.futures`` whose ThreadPoolExecutor runs stand-in threads."""

    class Future:
        def __init__(self) -> None:
            self._cond = th.Condition(th.Lock())
            self._etat = "PENDING"  # PENDING -> RUNNING -> FINISHED, or PENDING -> CANCELLED
            self._valeur: Any = None
            self._exc: BaseException | None = None
            self._rappels: list[Callable] = []

        def _fini(self) -> bool:
            return self._etat in ("FINISHED", "CANCELLED")

        def _demarrer(self) -> bool:
            with self._cond:
                if self._etat == "CANCELLED":
                    return False
                self._etat = "RUNNING"
                return True

        def _regler(self, valeur: Any = None, exc: BaseException | None = None, etat: str = "FINISHED") -> None:
            with self._cond:
                self._valeur, self._exc, self._etat = valeur, exc, etat
                self._cond.notify_all()
            for r in self._rappels:  # like CPython: outside the future's lock, in the completing thread
                r(self)

        def _attendre(self, timeout: float | None) -> None:
            with self._cond:
                if not self._cond.wait_for(self._fini, timeout):
                    raise TimeoutError()
            if self._etat == "CANCELLED":
                raise CancelledError()

        def result(self, timeout: float | None = None) -> Any:
            self._attendre(timeout)
            if self._exc is not None:
                raise self._exc
            return self._valeur

        def exception(self, timeout: float | None = None) -> BaseException | None:
            self._attendre(timeout)
            return self._exc

        def done(self) -> bool:
            return self._fini()

        def running(self) -> bool:
            return self._etat == "RUNNING"

        def cancelled(self) -> bool:
            return self._etat == "CANCELLED"

        def cancel(self) -> bool:
            if self._etat == "PENDING":
                self._regler(etat="CANCELLED")
            return self._etat == "CANCELLED"

        def add_done_callback(self, fn: Callable) -> None:
            if self._fini():
                fn(self)
            else:
                self._rappels.append(fn)

    class ThreadPoolExecutor:
        # One new worker per submit up to max_workers, never reusing an idle one first (CPython >= 3.8
        # does): the number of threads then depends on nothing but the calls, whatever the schedule.
        def __init__(self, max_workers: int | None = None, thread_name_prefix: str = "",
                     initializer: Callable | None = None, initargs: tuple = ()) -> None:
            if max_workers is None:
                max_workers = min(32, (os.cpu_count() or 1) + 4)
            if max_workers <= 0:
                raise ValueError("max_workers must be greater than 0")
            self._max = max_workers
            self._prefixe = thread_name_prefix or "ThreadPoolExecutor"
            self._init, self._initargs = initializer, tuple(initargs)
            self._cond = th.Condition(th.Lock())
            self._travail: deque = deque()
            self._ouvriers: list = []
            self._ferme = False

        def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
            with self._cond:
                if self._ferme:
                    raise RuntimeError("cannot schedule new futures after shutdown")
                f = Future()
                self._travail.append((f, fn, args, kwargs))
                self._cond.notify()
            if len(self._ouvriers) < self._max:
                o = th.Thread(target=self._ouvrier, name=f"{self._prefixe}_{len(self._ouvriers)}")
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

    def wait(fs: Iterable[Future], timeout: float | None = None, return_when: str = ALL_COMPLETED):
        fs = set(fs)
        cond = th.Condition(th.Lock())

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

    def as_completed(fs: Iterable[Future], timeout: float | None = None) -> Iterator[Future]:
        restants = list(dict.fromkeys(fs))
        while restants:
            faits, _ = wait(restants, timeout, FIRST_COMPLETED)
            if not faits:
                raise TimeoutError(f"{len(restants)} (of {len(restants)}) futures unfinished")
            for f in [f for f in restants if f in faits]:
                restants.remove(f)
                yield f

    def pas_de_processus(*_a: Any, **_k: Any) -> Any:
        raise RuntimeError("ProcessPoolExecutor n'est pas disponible dans cet exercice : utilisez des threads.")

    futures = types.ModuleType("concurrent.futures")
    futures.__dict__.update({
        "Future": Future, "ThreadPoolExecutor": ThreadPoolExecutor, "ProcessPoolExecutor": pas_de_processus,
        "Executor": ThreadPoolExecutor, "wait": wait, "as_completed": as_completed,
        "FIRST_COMPLETED": FIRST_COMPLETED, "FIRST_EXCEPTION": FIRST_EXCEPTION, "ALL_COMPLETED": ALL_COMPLETED,
        "CancelledError": CancelledError, "TimeoutError": TimeoutError, "BrokenExecutor": RuntimeError,
    })
    concurrent = types.ModuleType("concurrent")
    concurrent.futures = futures  # type: ignore[attr-defined]
    return {"concurrent": concurrent, "concurrent.futures": futures}
