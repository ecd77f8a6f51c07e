"""The per-run modules student code imports (threading, queue, time, concurrent.futures), on one RunContext.

A module's functions are bound methods of small per-run objects; its classes are the run's bound subclasses
of the module-level stand-ins, created the first time a name is read (most runs use two or three of them).
A module's dict never changes after it is built (a lazy name is resolved again at every read, from the run's
table), so the jail can report any name student code rebinds in it.
"""
from __future__ import annotations

import queue as _real_queue
import threading as _rt
import time as _real_time
import types
from concurrent.futures import ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, BrokenExecutor, CancelledError
from typing import Any, Callable, Iterable, Iterator, Mapping

from . import standins, standins_composite, standins_file, standins_threads
from .space import module as french_module
from .run_context import RunContext

_NOTHING: Mapping[str, Any] = types.MappingProxyType({})
# The time functions on the virtual clock; the real module's other public names (strftime, struct_time...) are
# read from it at first use.
_TIME_CLOCK = types.MappingProxyType({  # name in time -> method of TimeFunctions
    "sleep": "sleep", "time": "time", "time_ns": "time_ns", "monotonic": "monotonic", "perf_counter": "monotonic",
    "process_time": "monotonic", "thread_time": "monotonic", "monotonic_ns": "monotonic_ns",
    "perf_counter_ns": "monotonic_ns"})
_TIME_CONSTANTS = types.MappingProxyType({k: getattr(_real_time, k) for k in dir(_real_time)
                                          if not k.startswith("_") and k not in _TIME_CLOCK})

# Read-only tables (a student who reaches this module must not be able to change the next run's classes).
_THREADING_CLASSES = types.MappingProxyType({cls.__name__: cls for cls in (
    standins.Lock, standins.RLock, standins.Condition, standins.Semaphore, standins.BoundedSemaphore,
    standins.Event, standins_threads.Thread, standins_threads.Timer, standins_threads.local,
    standins_composite.Barrier)})
_QUEUE_CLASSES = types.MappingProxyType({cls.__name__: cls for cls in (
    standins_file.Queue, standins_file.LifoQueue, standins_file.PriorityQueue, standins_file.SimpleQueue)})
_FUTURES_CLASSES = types.MappingProxyType({"Future": standins_composite.Future,
                                           "ThreadPoolExecutor": standins_composite.ThreadPoolExecutor,
                                           "Executor": standins_composite.ThreadPoolExecutor})


def _with_lazy_names(m: types.ModuleType, run: RunContext, classes: Mapping[str, type],
                     missing: Callable[[str], Any], constants: Mapping[str, Any] = _NOTHING) -> types.ModuleType:
    """Give ``m`` names resolved at every read, never stored in it: the run's bound ``classes``, ``constants``,
    and ``__all__`` (for ``from m import *``); any other unknown name goes to ``missing``."""

    def __getattr__(attr: str) -> Any:
        cls = classes.get(attr)
        if cls is not None:
            value = run.bind(cls)
        elif attr in constants:
            value = constants[attr]
        elif attr == "__all__":
            value = sorted(k for k in {*m.__dict__, *classes, *constants} if not k.startswith("_"))
        else:
            return missing(attr)
        return value

    def __dir__() -> list[str]:
        return sorted({*m.__dict__, *classes, *constants})

    m.__getattr__ = __getattr__  # type: ignore[attr-defined]
    m.__dir__ = __dir__  # type: ignore[attr-defined]
    return m


def threading_module(run: RunContext) -> types.ModuleType:
    """``threading`` whose primitives yield to the run's scheduler instead of blocking."""
    f = standins_threads.ThreadFunctions(run)
    m = french_module("threading", {
        "current_thread": f.current_thread, "currentThread": f.current_thread, "main_thread": f.main_thread,
        "get_ident": f.get_ident, "get_native_id": f.get_ident, "active_count": f.active_count,
        "activeCount": f.active_count, "enumerate": f.enumerate, "TIMEOUT_MAX": _rt.TIMEOUT_MAX,
        "excepthook": _rt.excepthook, "ExceptHookArgs": _rt.ExceptHookArgs,
        "settrace": _ignore, "setprofile": _ignore,
        "BrokenBarrierError": _rt.BrokenBarrierError, "ThreadError": _rt.ThreadError,
    })
    return _with_lazy_names(m, run, _THREADING_CLASSES, m.__getattr__)


def queue_module(run: RunContext) -> types.ModuleType:
    """``queue`` whose blocking calls yield to the run's scheduler."""
    m = french_module("queue", {"Empty": _real_queue.Empty, "Full": _real_queue.Full})
    return _with_lazy_names(m, run, _QUEUE_CLASSES, m.__getattr__)


def time_module(run: RunContext) -> types.ModuleType:
    """``time`` on the run's virtual clock."""
    f = standins_file.TimeFunctions(run)
    m = french_module("time", {name: getattr(f, method) for name, method in _TIME_CLOCK.items()})
    return _with_lazy_names(m, run, _NOTHING, m.__getattr__, _TIME_CONSTANTS)


def futures_modules(run: RunContext) -> dict[str, types.ModuleType]:
    """``concurrent`` and ``concurrent.futures`` whose ThreadPoolExecutor runs stand-in threads."""

    def wait(fs: Iterable[Any], timeout: float | None = None, return_when: str = ALL_COMPLETED) -> Any:
        return standins_composite.wait(run, fs, timeout, return_when)

    def as_completed(fs: Iterable[Any], timeout: float | None = None) -> Iterator[Any]:
        return standins_composite.as_completed(run, fs, timeout)

    futures = types.ModuleType("concurrent.futures")
    futures.__dict__.update({
        "ProcessPoolExecutor": standins_composite.no_process, "wait": wait, "as_completed": as_completed,
        "FIRST_COMPLETED": FIRST_COMPLETED, "FIRST_EXCEPTION": FIRST_EXCEPTION, "ALL_COMPLETED": ALL_COMPLETED,
        "CancelledError": CancelledError, "TimeoutError": TimeoutError, "BrokenExecutor": BrokenExecutor,
    })

    def missing(attr: str) -> Any:
        raise AttributeError(f"module 'concurrent.futures' has no attribute {attr!r}")

    _with_lazy_names(futures, run, _FUTURES_CLASSES, missing)
    # The submodules students import exceptions (or the executors) from.
    from concurrent.futures.process import BrokenProcessPool
    from concurrent.futures.thread import BrokenThreadPool
    thread = types.ModuleType("concurrent.futures.thread")
    thread.BrokenThreadPool = BrokenThreadPool  # type: ignore[attr-defined]
    _with_lazy_names(thread, run, {"ThreadPoolExecutor": standins_composite.ThreadPoolExecutor}, missing)
    process = types.ModuleType("concurrent.futures.process")
    process.__dict__.update({"BrokenProcessPool": BrokenProcessPool,
                             "ProcessPoolExecutor": standins_composite.no_process})
    futures.thread, futures.process = thread, process  # type: ignore[attr-defined]
    concurrent = types.ModuleType("concurrent")
    concurrent.futures = futures  # type: ignore[attr-defined]
    return {"concurrent": concurrent, "concurrent.futures": futures, "concurrent.futures.thread": thread,
            "concurrent.futures.process": process}


def standin_modules(run: RunContext) -> dict[str, types.ModuleType]:
    """Every stand-in module of one run, by the name student code imports."""
    mods = {"threading": threading_module(run), "queue": queue_module(run), "time": time_module(run)}
    mods.update(futures_modules(run))
    return mods


def _ignore(_f: Any) -> None:
    """threading.settrace / setprofile: the scheduler owns tracing."""
    return None
