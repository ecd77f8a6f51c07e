"""Cooperative stand-ins for threading.Thread, Timer and local, and the run's threading functions."""
from __future__ import annotations

from typing import Any, Callable

from .hb import acquerir, publier
from .run_context import RunContext, StandIn
from .standins import Event, _delai


class Thread(StandIn):
    """threading.Thread on a scheduler task: start() creates the task, join() waits for its end (virtually)."""

    def __init__(self, group: Any = None, target: Callable | None = None, name: str | None = None,
                 args: tuple = (), kwargs: dict | None = None, *, daemon: bool | None = None) -> None:
        run = self._standin_context
        run.threads_named += 1
        self._target, self._args, self._kwargs = target, tuple(args), dict(kwargs or {})
        self._name = name if name is not None else f"Thread-{run.threads_named}"
        self._daemonic = bool(daemon) if daemon is not None else False
        self._tache = None
        self._demarre = False
        self._fini = False
        self._vc_fin: dict[int, int] = {}
        run.lifecycle.creation(self)

    name = property(lambda self: self._name, lambda self, v: setattr(self, "_name", str(v)))
    daemon = property(lambda self: self._daemonic, lambda self, v: setattr(self, "_daemonic", bool(v)))
    ident = property(lambda self: None if self._tache is None else self._tache.num + 1)
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
        if self._demarre:
            raise RuntimeError("threads can only be started once")
        run = self._standin_context
        o = run.scheduler
        o.point()
        parent = o.tache_courante()
        self._tache = o.creer_tache(parent)
        self._demarre = True
        run.lifecycle.lien_tache(self._tache.num, self)
        run.lifecycle.evenement("start", self)
        o.lancer_thread_reel(self._tache, self._corps)

    def _corps(self) -> None:
        run = self._standin_context
        t = self._tache
        try:
            self.run()
        except BaseException as e:  # noqa: BLE001 - the stand-in of threading.excepthook
            if type(e).__name__ == "Annulation":
                raise
            t.exception = e
            run.lifecycle.exception(self, e)
        finally:
            run.observer.vider(t)
            publier(t, self._vc_fin)
            self._fini = True
            run.lifecycle.evenement("fin", self)

    def run(self) -> None:
        run = self._standin_context
        if self._tache is None or run.scheduler.tache_courante() is not self._tache:
            run.lifecycle.evenement("run_direct", self)
        if self._target is not None:
            self._target(*self._args, **self._kwargs)

    def join(self, timeout: float | None = None) -> None:
        if not self._demarre:
            raise RuntimeError("cannot join thread before it is started")
        run = self._standin_context
        o = run.scheduler
        t = o.tache_courante()
        if t is self._tache:
            raise RuntimeError("cannot join current thread")
        o.point()
        run.lifecycle.evenement("join", self, timeout=timeout)
        if o.attendre(lambda: self._fini, _delai(timeout), f"la fin de {self._tache.libelle} (join)"):
            acquerir(t, self._vc_fin)
            run.lifecycle.evenement("join_fin", self)

    def is_alive(self) -> bool:
        return self._demarre and not self._fini

    def __repr__(self) -> str:
        etat = "started" if self._demarre else "initial"
        return f"<Thread({self._name}, {etat})>"


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
        object.__setattr__(self, "_par_tache", {})

    def _d(self) -> dict:
        num = self._standin_context.scheduler.tache_courante().num
        return object.__getattribute__(self, "_par_tache").setdefault(num, {})

    def __getattr__(self, nom: str) -> Any:
        try:
            return self._d()[nom]
        except KeyError:
            raise AttributeError(nom) from None

    def __setattr__(self, nom: str, valeur: Any) -> None:
        self._d()[nom] = valeur

    def __delattr__(self, nom: str) -> None:
        self._d().pop(nom, None)


class _Principal(Thread):
    """The run's MainThread: T0, always started, never finished, not counted among the created threads."""

    def __init__(self) -> None:
        o = self._standin_context.scheduler
        self._name, self._daemonic, self._demarre, self._fini = "MainThread", False, True, False
        self._tache, self._target = o.taches[0] if o.taches else None, None


def main_thread_of(run: RunContext) -> Thread:
    """The run's MainThread, built at first use (a subclass of the run's Thread, as before)."""
    if run.main_thread is None:
        run.main_thread = run.new(_Principal)
    return run.main_thread


class ThreadFunctions:
    """threading's module functions for one run (their bound methods are the module's names)."""

    __slots__ = ("_run",)

    def __init__(self, run: RunContext) -> None:
        self._run = run

    def current_thread(self) -> Thread:
        run = self._run
        return run.lifecycle.thread_de(run.scheduler.tache_courante().num) or main_thread_of(run)

    def main_thread(self) -> Thread:
        return main_thread_of(self._run)

    def get_ident(self) -> int:
        return self._run.scheduler.tache_courante().num + 1

    def enumerate(self) -> list:
        run = self._run
        return [main_thread_of(run)] + [th for th in run.lifecycle.threads if th.is_alive()]

    def active_count(self) -> int:
        return len(self.enumerate())
