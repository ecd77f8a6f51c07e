"""Stand-in Thread, Timer, local and threading's functions, called directly in-process."""
from __future__ import annotations

import threading as real

import pytest

from autograder.probes import standins_threads

from standins_run import Run, run, error_of  # noqa: F401 - run is the fixture


def test_start_join_is_alive(run):
    seen = []
    t = run.threading.Thread(target=seen.append, args=(1,))
    assert not t.is_alive() and t.ident is None
    t.start()
    assert t.ident == 2  # task number + 1, like get_ident() inside it
    t.join()
    assert seen == [1] and not t.is_alive()
    assert run.lifecycle.demarres() == ["T1"] and run.lifecycle.joined() == ["T1"]


def test_names_count_every_thread_built_in_the_run(run):
    a, b = run.threading.Thread(), run.threading.Thread(name="mine")
    c = run.threading.Thread()
    assert (a.name, b.name, c.name) == ("Thread-1", "mine", "Thread-3")
    c.name = 42
    assert c.getName() == "42" and repr(a) == "<Thread(Thread-1, initial)>"
    other = Run()
    try:
        assert other.threading.Thread().name == "Thread-1"  # the count is per run
    finally:
        other.close()


def test_daemon_flag(run):
    t = run.threading.Thread(daemon=True)
    assert t.daemon and t.isDaemon()
    t.daemon = 0
    assert t.daemon is False
    t.setDaemon(1)
    assert t.daemon is True
    assert run.threading.Thread().daemon is False


def test_misuse_raises_like_the_real_threading(run):
    assert error_of(run.threading.Thread().join) == error_of(real.Thread().join)
    t, r = run.threading.Thread(), real.Thread()
    t.start()
    r.start()
    r.join()
    assert error_of(t.start) == error_of(r.start)


def test_joining_itself_raises_like_the_real_threading(run):
    errors = []
    box = []

    def body() -> None:
        try:
            box[0].join()
        except RuntimeError as e:
            errors.append(str(e))

    t = run.threading.Thread(target=body)
    box.append(t)
    t.start()
    t.join()
    r = real.Thread(target=body)
    box[0] = r
    r.start()
    r.join()
    assert errors == ["cannot join current thread"] * 2


def test_join_timeout_on_to_blocked_thread_returns_with_it_alive(run):
    ev = run.threading.Event()
    t = run.spawn(ev.wait)
    t.join(timeout=3)
    assert t.is_alive() and 3 <= run.now() < 3.1
    assert run.lifecycle.joined() == []
    ev.set()
    t.join()
    assert not t.is_alive() and run.lifecycle.joined() == ["T1"]


def test_exception_in_to_thread_is_recorded_not_raised(run):
    t = run.spawn(lambda: 1 / 0)
    t.join()
    assert [(label, type(e).__name__) for label, e in run.lifecycle.exceptions] == [("T1", "ZeroDivisionError")]
    assert run.scheduler.taches[1].exception is run.lifecycle.exceptions[0][1]


def test_run_called_directly_is_logged(run):
    seen = []
    t = run.threading.Thread(target=seen.append, args=("here",))
    t.run()
    assert seen == ["here"] and run.lifecycle.having("run_direct") == ["(non démarré n°1)"]


def test_subclass_overriding_run(run):
    class Worker(run.threading.Thread):
        def __init__(self) -> None:
            super().__init__()
            self.done = False

        def run(self) -> None:
            self.done = True

    w = Worker()
    w.start()
    w.join()
    assert w.done and isinstance(w, standins_threads.Thread) and isinstance(w, run.threading.Thread)


def test_current_main_enumerate_active_count(run):
    seen = {}

    def body() -> None:
        me = run.threading.current_thread()
        seen["me"] = me
        seen["ident"] = run.threading.get_ident()
        seen["count"] = run.threading.active_count()
        run.time.sleep(1)

    t = run.spawn(body)
    run.time.sleep(0.5)
    main = run.threading.main_thread()
    assert run.threading.current_thread() is main and main.name == "MainThread" and main.is_alive()
    assert run.threading.enumerate() == [main, t]
    assert isinstance(main, run.threading.Thread)
    t.join()
    assert seen == {"me": t, "ident": 2, "count": 2}
    assert run.threading.active_count() == 1 and run.threading.get_ident() == 1
    assert run.lifecycle.threads == [t]  # the main thread is not a created thread


def test_timer_fires_after_its_interval(run):
    fired = []
    timer = run.threading.Timer(2.0, lambda: fired.append(run.now()))
    assert isinstance(timer, run.threading.Thread) and isinstance(timer.finished, run.threading.Event)
    timer.start()
    timer.join()
    assert len(fired) == 1 and 2.0 <= fired[0] < 2.1


def test_timer_cancelled_never_fires(run):
    fired = []
    timer = run.threading.Timer(5.0, fired.append, args=("late",))
    timer.start()
    run.time.sleep(1)
    timer.cancel()
    timer.join()
    assert fired == [] and run.now() < 2


def test_local_keeps_one_value_per_thread(run):
    data = run.threading.local()
    data.x = "main"
    seen = []

    def body(v: int) -> None:
        assert not hasattr(data, "x")
        data.x = v
        run.time.sleep(0.1)
        seen.append(data.x)
        del data.x

    for i in range(3):
        run.spawn(body, i)
    run.wait_all()
    assert sorted(seen) == [0, 1, 2] and data.x == "main"


def test_same_seed_same_interleaving():
    def interleaving(seed: int) -> list[int]:
        r = Run(seed, "uniforme")
        order = []
        lock = r.threading.Lock()

        def body(i: int) -> None:
            for _ in range(5):
                with lock:
                    order.append(i)

        try:
            for i in range(3):
                r.spawn(body, i)
            r.wait_all()
        finally:
            r.close()
        return order

    assert interleaving(3) == interleaving(3)
    assert len({tuple(interleaving(s)) for s in range(6)}) > 1


def test_join_orders_accesses_for_the_race_detector(run):
    def writer() -> None:
        run.observer.access(run.scheduler.current_task(), "écrit", "x", 1)

    run.spawn(writer).join()
    run.observer.access(run.t0, "lit", "x", 1)
    assert run.observer.courses == []
