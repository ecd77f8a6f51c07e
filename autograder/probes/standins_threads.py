"""Cooperative stand-ins for threading.Thread, Timer and local, and the run's threading functions."""
from __future__ import annotations

from typing import Any, Callable

from .hb import acquire_clock, publish
from .run_context import RunContext, StandIn
from .standins import Event, _timeout


class Thread(StandIn):
    """threading.Thread on a scheduler task: start() creates the task, join() waits for its end (virtually)."""

    def __init__(self, group: Any = None, target: Callable | None = None, name: str | None = None,
                 args: tuple = (), kwargs: dict | None = None, *, daemon: bool | None = None) -> None:
        run = self._standin_context
        run.threads_named += 1
        self._target, self._args, self._kwargs = target, tuple(args), dict(kwargs or {})
        self._name = name if name is not None else f"Thread-{run.threads_named}"
        self._daemonic = bool(daemon) if daemon is not None else False
        self._task = None
        self._started = False
        self._finished = False
        self._end_vc: dict[int, int] = {}
        run.lifecycle.creation(self)

    name = property(lambda self: self._name, lambda self, v: setattr(self, "_name", str(v)))
    daemon = property(lambda self: self._daemonic, lambda self, v: setattr(self, "_daemonic", bool(v)))
    ident = property(lambda self: None if self._task is None else self._task.num + 1)
    native_id = ident

    def getName(self) -> str:
        return self._name

    def setName(self, v: str) -> None:
        self._name = v

    def isDaemon(self) -> bool:
        return self._daemonic

    def setDaemon(self, v: bool) -> None:
        self._daemonic = bool(v)

    def start(self) -> None:
        if self._started:
            raise RuntimeError("threads can only be started once")
        run = self._standin_context
        o = run.scheduler
        o.point()
        parent = o.current_task()
        self._task = o.create_task(parent)
        self._started = True
        run.lifecycle.task_link(self._task.num, self)
        run.lifecycle.event("start", self)
        o.start_real_thread(self._task, self._body)

    def _body(self) -> None:
        run = self._standin_context
        t = self._task
        try:
            self.run()
        except BaseException as e:  # noqa: BLE001 - the stand-in of threading.excepthook
            if type(e).__name__ == "Annulation":
                raise
            t.exception = e
            run.lifecycle.exception(self, e)
        finally:
            run.observer.empty(t)
            publish(t, self._end_vc)
            self._finished = True
            run.lifecycle.event("fin", self)

    def run(self) -> None:
        run = self._standin_context
        if self._task is None or run.scheduler.current_task() is not self._task:
            run.lifecycle.event("run_direct", self)
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    def join(self, timeout: float | None = None) -> None:
        if not self._started:
            raise RuntimeError("cannot join thread before it is started")
        run = self._standin_context
        o = run.scheduler
        t = o.current_task()
        if t is self._task:
            raise RuntimeError("cannot join current thread")
        o.point()
        run.lifecycle.event("join", self, timeout=timeout)
        if o.attendre(lambda: self._finished, _timeout(timeout), f"la fin de {self._task.label} (join)"):
            acquire_clock(t, self._end_vc)
            run.lifecycle.event("join_fin", self)

    def is_alive(self) -> bool:
        return self._started and not self._finished

    def __repr__(self) -> str:
        state = "started" if self._started else "initial"
        return f"<Thread({self._name}, {state})>"


class Timer(Thread):
    """threading.Timer: waits ``interval`` virtual seconds on an Event that cancel() sets."""

    def __init__(self, interval: float, function: Callable, args: Any = None, kwargs: Any = None) -> None:
        super().__init__()
        self.interval, self.function = interval, function
        self.args, self.kwargs = list(args or []), dict(kwargs or {})
        self.finished = self._standin_context.new(Event)

    def cancel(self) -> None:
        self.finished.set()

    def run(self) -> None:
        self.finished.wait(self.interval)
        if not self.finished.is_set():
            self.function(*self.args, **self.kwargs)
        self.finished.set()


class local(StandIn):  # noqa: N801 - the name threading gives it
    """threading.local: one attribute dict per scheduler task."""

    def __init__(self) -> None:
        object.__setattr__(self, "_by_task", {})

    def _d(self) -> dict:
        num = self._standin_context.scheduler.current_task().num
        return object.__getattribute__(self, "_by_task").setdefault(num, {})

    def __getattr__(self, nom: str) -> Any:
        try:
            return self._d()[nom]
        except KeyError:
            raise AttributeError(nom) from None

    def __setattr__(self, nom: str, valeur: Any) -> None:
        self._d()[nom] = valeur

    def __delattr__(self, nom: str) -> None:
        self._d().pop(nom, None)


class _Main(Thread):
    """The run's MainThread: T0, always started, never finished, not counted among the created threads."""

    def __init__(self) -> None:
        o = self._standin_context.scheduler
        self._name, self._daemonic, self._started, self._finished = "MainThread", False, True, False
        self._task, self._target = o.taches[0] if o.taches else None, None


def main_thread_of(run: RunContext) -> Thread:
    """The run's MainThread, built at first use (a subclass of the run's Thread, as before)."""
    if run.main_thread is None:
        run.main_thread = run.new(_Main)
    return run.main_thread


class ThreadFunctions:
    """threading's module functions for one run (their bound methods are the module's names)."""

    __slots__ = ("_run",)

    def __init__(self, run: RunContext) -> None:
        self._run = run

    def current_thread(self) -> Thread:
        run = self._run
        return run.lifecycle.thread_of(run.scheduler.current_task().num) or main_thread_of(run)

    def main_thread(self) -> Thread:
        return main_thread_of(self._run)

    def get_ident(self) -> int:
        return self._run.scheduler.current_task().num + 1

    def enumerate(self) -> list:
        run = self._run
        return [main_thread_of(run)] + [th for th in run.lifecycle.threads if th.is_alive()]

    def active_count(self) -> int:
        return len(self.enumerate())
