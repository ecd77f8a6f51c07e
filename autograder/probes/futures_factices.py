"""In-process stand-ins for concurrent.futures and multiprocessing pools that complete in reverse order.

Real pools finish in an order that depends on machine load; these finish every batch in reverse
submission order, so code that returns results in completion order is caught on every run.
"""
from __future__ import annotations

import types
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION
from typing import Any, Callable, Iterable



class Future:
    def __init__(self, fn: Callable, args: tuple, kwargs: dict, journal: list) -> None:
        self._appel = (fn, args, kwargs)
        self._fait = False
        self._valeur: Any = None
        self._exc: BaseException | None = None
        self._rappels: list[Callable] = []
        self._journal = journal

    def _executer(self) -> None:
        if self._fait:
            return
        fn, args, kwargs = self._appel
        self._journal.append(args[0] if args else None)
        try:
            self._valeur = fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - stored like a real Future does
            self._exc = e
        self._fait = True
        for r in self._rappels:
            r(self)

    def result(self, timeout: float | None = None) -> Any:
        self._executer()
        if self._exc is not None:
            raise self._exc
        return self._valeur

    def exception(self, timeout: float | None = None) -> BaseException | None:
        self._executer()
        return self._exc

    def done(self) -> bool:
        return self._fait

    def running(self) -> bool:
        return False

    def cancel(self) -> bool:
        return False

    def cancelled(self) -> bool:
        return False

    def add_done_callback(self, fn: Callable) -> None:
        if self._fait:
            fn(self)
        else:
            self._rappels.append(fn)


def _tout_executer(fs: Iterable[Future]) -> list[Future]:
    fs = list(fs)
    for f in reversed(fs):
        f._executer()
    return fs


def fabriquer_modules() -> tuple[dict[str, types.ModuleType], list]:
    """Modules for ``concurrent``, ``concurrent.futures`` and ``multiprocessing``, and the call log."""
    journal: list = []
    executeurs: list = []

    class Executor:
        def __init__(self, max_workers: int | None = None, *args: Any, **kwargs: Any) -> None:
            self.max_workers = max_workers
            self._futures: list[Future] = []
            executeurs.append(self)

        def submit(self, fn: Callable, /, *args: Any, **kwargs: Any) -> Future:
            f = Future(fn, args, kwargs, journal)
            self._futures.append(f)
            return f

        def map(self, fn: Callable, *iterables: Iterable, timeout: float | None = None, chunksize: int = 1):
            fs = [self.submit(fn, *a) for a in zip(*iterables)]
            _tout_executer(fs)
            return (f.result() for f in fs)

        def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
            _tout_executer(self._futures)

        def __enter__(self) -> "Executor":
            return self

        def __exit__(self, *exc: Any) -> None:
            self.shutdown()

    def as_completed(fs: Iterable[Future], timeout: float | None = None):
        return iter(reversed(_tout_executer(fs)))

    def wait(fs: Iterable[Future], timeout: float | None = None, return_when: str = ALL_COMPLETED):
        return types.SimpleNamespace(done=set(_tout_executer(fs)), not_done=set())

    class ThreadPoolExecutor(Executor):
        pass

    class ProcessPoolExecutor(Executor):
        pass

    futures = types.ModuleType("concurrent.futures")
    futures.__dict__.update({
        "Future": Future, "Executor": Executor, "ThreadPoolExecutor": ThreadPoolExecutor,
        "ProcessPoolExecutor": ProcessPoolExecutor, "as_completed": as_completed, "wait": wait,
        "FIRST_COMPLETED": FIRST_COMPLETED, "FIRST_EXCEPTION": FIRST_EXCEPTION, "ALL_COMPLETED": ALL_COMPLETED,
    })
    concurrent = types.ModuleType("concurrent")
    concurrent.futures = futures  # type: ignore[attr-defined]

    class Resultat:
        def __init__(self, fs: list[Future], seul: bool) -> None:
            self._fs, self._seul = fs, seul

        def get(self, timeout: float | None = None) -> Any:
            _tout_executer(self._fs)
            valeurs = [f.result() for f in self._fs]
            return valeurs[0] if self._seul else valeurs

        def wait(self, timeout: float | None = None) -> None:
            _tout_executer(self._fs)

        def ready(self) -> bool:
            return all(f.done() for f in self._fs)

    class Pool:
        def __init__(self, processes: int | None = None, *args: Any, **kwargs: Any) -> None:
            self._ex = Executor(processes)

        def map(self, fn: Callable, iterable: Iterable, chunksize: int | None = None) -> list:
            return list(self._ex.map(fn, iterable))

        def starmap(self, fn: Callable, iterable: Iterable, chunksize: int | None = None) -> list:
            fs = [self._ex.submit(fn, *a) for a in iterable]
            return [f.result() for f in _tout_executer(fs)]

        def imap(self, fn: Callable, iterable: Iterable, chunksize: int = 1):
            return self._ex.map(fn, iterable)

        def imap_unordered(self, fn: Callable, iterable: Iterable, chunksize: int = 1):
            fs = [self._ex.submit(fn, x) for x in iterable]
            return (f.result() for f in reversed(_tout_executer(fs)))

        def apply_async(self, fn: Callable, args: tuple = (), kwds: dict | None = None, **_k: Any) -> Resultat:
            return Resultat([self._ex.submit(fn, *args, **(kwds or {}))], True)

        def map_async(self, fn: Callable, iterable: Iterable, *a: Any, **k: Any) -> Resultat:
            return Resultat([self._ex.submit(fn, x) for x in iterable], False)

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

    mp = types.ModuleType("multiprocessing")
    mp.__dict__.update({"Pool": Pool, "cpu_count": lambda: 2,
                        "get_context": lambda *a, **k: mp, "set_start_method": lambda *a, **k: None})
    return {"concurrent": concurrent, "concurrent.futures": futures, "multiprocessing": mp}, journal
