"""In-process stand-ins for concurrent.futures and multiprocessing pools that complete in reverse order.

Real pools finish in an order that depends on machine load; these finish every batch in reverse
submission order, so code that returns results in completion order is caught on every run.
"""
from __future__ import annotations

import types
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, BrokenExecutor, CancelledError
from concurrent.futures._base import DoneAndNotDoneFutures
from typing import Any, Callable, Iterable

from .futures_state import FINISHED, FutureState
from .run_context import Binder, StandIn


class ReversePoolRun(Binder):
    """One run's reverse-order pools: the log of the first argument of every call, in execution order."""

    def __init__(self) -> None:
        super().__init__()
        self.journal: list = []


class Future(FutureState):
    """A future whose call runs when its result is first needed (or its batch is flushed), in this thread.

    It never runs before it is needed and cannot be cancelled: cancel() is always False, as for a task that
    already started. Only an Exception is stored; anything else (SystemExit...) propagates at once.
    """

    def __init__(self, fn: Callable, args: tuple, kwargs: dict, journal: list) -> None:
        super().__init__()
        self._call = (fn, args, kwargs)
        self._journal = journal

    def _execute(self) -> None:
        if self._finished():
            return
        fn, args, kwargs = self._call
        self._journal.append(args[0] if args else None)
        valeur, exc = None, None
        try:
            valeur = fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - stored like a real Future does
            exc = e
        self._set(valeur, exc, FINISHED)
        self._warn()

    def _wait(self, timeout: float | None) -> None:
        self._execute()

    def cancel(self) -> bool:
        return False


def _execute_all(fs: Iterable[Future]) -> list[Future]:
    fs = list(fs)
    for f in reversed(fs):
        f._execute()
    return fs


class Executor(StandIn):
    """concurrent.futures.Executor: submit() only records; map(), shutdown() and waits run the batch backwards."""

    def __init__(self, max_workers: int | None = None, *args: Any, **kwargs: Any) -> None:
        self.max_workers = max_workers
        self._futures: list[Future] = []

    def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
        f = Future(fn, args, kwargs, self._standin_context.journal)
        self._futures.append(f)
        return f

    def map(self, fn: Callable, *iterables: Iterable, timeout: float | None = None, chunksize: int = 1):
        fs = [self.submit(fn, *a) for a in zip(*iterables)]
        _execute_all(fs)
        return (f.result() for f in fs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        _execute_all(self._futures)

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()


class ThreadPoolExecutor(Executor):
    """concurrent.futures.ThreadPoolExecutor, reverse-order."""


class ProcessPoolExecutor(Executor):
    """concurrent.futures.ProcessPoolExecutor, reverse-order and in this process."""


def as_completed(fs: Iterable[Future], timeout: float | None = None):
    """Every future, run now in reverse order and yielded in that order."""
    return iter(reversed(_execute_all(fs)))


def wait(fs: Iterable[Future], timeout: float | None = None, return_when: str = ALL_COMPLETED) -> DoneAndNotDoneFutures:
    """Every future, run now in reverse order: all done whatever ``return_when`` asks."""
    return DoneAndNotDoneFutures(set(_execute_all(fs)), set())


class Result:
    """multiprocessing.pool.AsyncResult: get() and wait() run the batch backwards."""

    def __init__(self, fs: list[Future], single: bool) -> None:
        self._fs, self._single = fs, single

    def get(self, timeout: float | None = None) -> Any:
        _execute_all(self._fs)
        valeurs = [f.result() for f in self._fs]
        return valeurs[0] if self._single else valeurs

    def wait(self, timeout: float | None = None) -> None:
        _execute_all(self._fs)

    def ready(self) -> bool:
        return all(f.done() for f in self._fs)


class Pool(StandIn):
    """multiprocessing.Pool on a reverse-order Executor (apply() runs at once)."""

    def __init__(self, processes: int | None = None, *args: Any, **kwargs: Any) -> None:
        self._ex = self._standin_context.new(Executor, processes)

    def map(self, fn: Callable, iterable: Iterable, chunksize: int | None = None) -> list:
        return list(self._ex.map(fn, iterable))

    def starmap(self, fn: Callable, iterable: Iterable, chunksize: int | None = None) -> list:
        fs = [self._ex.submit(fn, *a) for a in iterable]
        return [f.result() for f in _execute_all(fs)]

    def imap(self, fn: Callable, iterable: Iterable, chunksize: int = 1):
        return self._ex.map(fn, iterable)

    def imap_unordered(self, fn: Callable, iterable: Iterable, chunksize: int = 1):
        fs = [self._ex.submit(fn, x) for x in iterable]
        return (f.result() for f in reversed(_execute_all(fs)))

    def apply_async(self, fn: Callable, args: tuple = (), kwds: dict | None = None, **_k: Any) -> Result:
        return Result([self._ex.submit(fn, *args, **(kwds or {}))], True)

    def map_async(self, fn: Callable, iterable: Iterable, *a: Any, **k: Any) -> Result:
        return Result([self._ex.submit(fn, x) for x in iterable], False)

    def apply(self, fn: Callable, args: tuple = (), kwds: dict | None = None) -> Any:
        return fn(*args, **(kwds or {}))

    def close(self) -> None:
        self._ex.shutdown()

    def join(self) -> None:
        self._ex.shutdown()

    def terminate(self) -> None:
        self._ex.shutdown()

    def __enter__(self) -> "Pool":
        return self

    def __exit__(self, *exc: Any) -> None:
        self._ex.shutdown()


def _cpu_count() -> int:
    return 2


def _real_names(m: types.ModuleType, real: str) -> types.ModuleType:
    """Names ``m`` does not define come from the real module ``real`` (its exceptions, Queue, Process,
    current_process...): only the pools complete in reverse, the rest of the library is the real one."""
    import importlib

    def __getattr__(attr: str) -> Any:
        return getattr(importlib.import_module(real), attr)

    m.__getattr__ = __getattr__  # type: ignore[attr-defined]
    return m


def build_modules() -> tuple[dict[str, types.ModuleType], list]:
    """Modules for ``concurrent``, ``concurrent.futures`` (and its ``thread`` and ``process`` submodules)
    and ``multiprocessing`` (and ``multiprocessing.pool``), and the call log."""
    run = ReversePoolRun()
    threads, processes = run.bind(ThreadPoolExecutor), run.bind(ProcessPoolExecutor)
    futures = _real_names(types.ModuleType("concurrent.futures"), "concurrent.futures")
    futures.__dict__.update({
        "Future": Future, "Executor": run.bind(Executor), "ThreadPoolExecutor": threads,
        "ProcessPoolExecutor": processes, "as_completed": as_completed, "wait": wait,
        "FIRST_COMPLETED": FIRST_COMPLETED, "FIRST_EXCEPTION": FIRST_EXCEPTION, "ALL_COMPLETED": ALL_COMPLETED,
        "CancelledError": CancelledError, "TimeoutError": TimeoutError, "BrokenExecutor": BrokenExecutor,
    })
    futures.thread = _real_names(types.ModuleType("concurrent.futures.thread"), "concurrent.futures.thread")
    futures.thread.ThreadPoolExecutor = threads
    futures.process = _real_names(types.ModuleType("concurrent.futures.process"), "concurrent.futures.process")
    futures.process.ProcessPoolExecutor = processes
    concurrent = types.ModuleType("concurrent")
    concurrent.futures = futures  # type: ignore[attr-defined]
    mp = _real_names(types.ModuleType("multiprocessing"), "multiprocessing")
    pools = run.bind(Pool)
    mp.__dict__.update({"Pool": pools, "cpu_count": _cpu_count,
                        "get_context": lambda *a, **k: mp, "set_start_method": lambda *a, **k: None})
    mp.pool = _real_names(types.ModuleType("multiprocessing.pool"), "multiprocessing.pool")
    mp.pool.Pool = pools
    return {"concurrent": concurrent, "concurrent.futures": futures, "concurrent.futures.thread": futures.thread,
            "concurrent.futures.process": futures.process, "multiprocessing": mp, "multiprocessing.pool": mp.pool,
            }, run.journal
