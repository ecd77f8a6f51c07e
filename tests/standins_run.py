"""A seeded run whose stand-ins tests call directly, from the test's own thread (T0), with no tracing.

Without a tracer, tasks switch only at the stand-ins' own sequence points, so a test reads like a schedule.
"""
from __future__ import annotations

import gc
from typing import Any, Callable

import pytest

from autograder.probes.cycle import Cycle
from autograder.probes.hb import Observer
from autograder.probes.run_context import RunContext
from autograder.probes.scheduler import Annulation, Scheduler
from autograder.probes.standin_modules import standin_modules


class Run:
    """One run: its scheduler (the calling thread is T0), its context and its stand-in modules."""

    def __init__(self, seed: int = 0, strategy: str = "collante") -> None:
        self.observer = Observer(set())
        self.scheduler = Scheduler(seed, strategie=strategy, observateur=self.observer)
        self.t0 = self.scheduler.start_main()
        self.lifecycle = Cycle(self.scheduler)
        self.context = RunContext(self.scheduler, self.observer, self.lifecycle)
        self.modules = standin_modules(self.context)
        self.threading = self.modules["threading"]
        self.queue = self.modules["queue"]
        self.time = self.modules["time"]
        self.futures = self.modules["concurrent.futures"]

    def now(self) -> float:
        return self.context.clock.current_time()

    def spawn(self, target: Callable[..., Any], *args: Any) -> Any:
        """A started stand-in thread running ``target(*args)``."""
        t = self.threading.Thread(target=target, args=args)
        t.start()
        return t

    def wait_all(self) -> None:
        """T0 waits (virtually) until every other task has ended."""
        self.scheduler.attendre(lambda: all(t.finished for t in self.scheduler.taches[1:]), None, "the end")

    def deadlock(self, action: Callable[[], Any]) -> list[str]:
        """Run ``action`` in T0, which must end the run in a deadlock; the scheduler's report."""
        try:
            action()
        except Annulation:
            return list(self.scheduler.interblocage or [])
        raise AssertionError("no deadlock")

    def close(self) -> None:
        self.scheduler.close_all()


@pytest.fixture
def run():
    """A fresh run, closed after the test (tasks still waiting unwind).

    Earlier tests' runs are collected first: the tampering check walks every bound class alive in the
    process (in the jail, each run is a fresh fork), and a class a test changed may still be garbage."""
    gc.collect()
    r = Run()
    yield r
    r.close()


def error_of(action: Callable[[], Any]) -> tuple[type, str]:
    """The type and message of what ``action()`` raises (to compare a stand-in with the real module)."""
    with pytest.raises(Exception) as e:
        action()
    return type(e.value), str(e.value)
