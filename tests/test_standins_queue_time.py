"""Stand-in queue.Queue (and variants) and time, on the virtual clock, called directly in-process."""
from __future__ import annotations

import queue as real_queue
import time as real_time

import pytest

from autograder.probes import standins_file
from autograder.probes.run_context import VIRTUAL_EPOCH

from standins_run import Run, run, error_of  # noqa: F401 - run is the fixture


@pytest.mark.parametrize("name", ["Queue", "LifoQueue", "PriorityQueue", "SimpleQueue"])
def test_order_matches_the_real_queue_module(run, name):
    def drain(mod) -> list:
        q = getattr(mod, name)()
        for x in (3, 1, 2, 1):
            q.put(x)
        return [q.get() for _ in range(4)]

    assert drain(run.queue) == drain(real_queue)


def test_variants_are_subclasses_of_the_runs_queue(run):
    for name in ("LifoQueue", "PriorityQueue", "SimpleQueue"):
        assert issubclass(getattr(run.queue, name), run.queue.Queue)
    assert isinstance(run.queue.Queue(), standins_file.Queue)


def test_nonblocking_calls_raise_empty_and_full(run):
    q = run.queue.Queue(maxsize=1)
    with pytest.raises(real_queue.Empty):
        q.get_nowait()
    q.put_nowait(1)
    assert q.full() and q.qsize() == 1 and not q.empty()
    with pytest.raises(real_queue.Full):
        q.put(2, block=False)
    assert run.queue.Empty is real_queue.Empty and run.queue.Full is real_queue.Full


def test_timeouts_wait_virtual_time_then_raise(run):
    q = run.queue.Queue(maxsize=1)
    with pytest.raises(real_queue.Empty):
        q.get(timeout=2)
    assert 2 <= run.now() < 2.1
    q.put(1)
    with pytest.raises(real_queue.Full):
        q.put(2, timeout=3)
    assert 5 <= run.now() < 5.1


def test_blocking_get_and_put_wake_on_the_other_side(run):
    q = run.queue.Queue(maxsize=1)

    def producer() -> None:
        for i in range(3):
            q.put(i)

    run.spawn(producer)
    assert [q.get(timeout=10) for _ in range(3)] == [0, 1, 2]
    assert run.now() < 1 and (q.nb_put, q.nb_get) == (3, 3)


def test_task_done_and_join(run):
    q = run.queue.Queue()
    for i in range(2):
        q.put(i)
    assert q.unfinished_tasks == 2

    def worker() -> None:
        while True:
            q.get()
            run.time.sleep(1)
            q.task_done()

    run.spawn(worker)
    q.join()
    assert q.unfinished_tasks == 0 and q.nb_task_done == 2 and 2 <= run.now() < 2.1
    assert error_of(q.task_done) == error_of(real_queue.Queue().task_done)


def test_join_without_task_done_is_to_deadlock_naming_the_count(run):
    q = run.queue.Queue()
    q.put(1)
    assert run.deadlock(q.join) == ["T0 attend Queue.join() : 1 élément(s) sans task_done (ligne 0)"]


def test_every_queue_is_listed_for_the_graders(run):
    a, b = run.queue.Queue(), run.queue.LifoQueue()
    assert run.lifecycle.files == [a, b]


def test_put_then_get_orders_accesses(run):
    q = run.queue.Queue()

    def writer() -> None:
        run.observer.access(run.scheduler.current_task(), "écrit", "x", 1)
        q.put("go")

    run.spawn(writer)
    run.time.sleep(1)
    q.get()
    run.observer.access(run.t0, "lit", "x", 1)
    assert run.observer.courses == []


# -- time --------------------------------------------------------------------------------------------------

def test_sleep_advances_virtual_time_only(run):
    before = real_time.monotonic()
    run.time.sleep(1000)
    assert 1000 <= run.time.monotonic() < 1000.01
    assert real_time.monotonic() - before < 100  # bounded: a real sleep would take 1000 s


def test_clock_functions_read_one_clock(run):
    run.time.sleep(2)
    t, mono, ns = run.time.time(), run.time.perf_counter(), run.time.monotonic_ns()
    assert VIRTUAL_EPOCH + 2 <= t < VIRTUAL_EPOCH + 2.01
    assert 2 <= mono < 2.01 and 2e9 <= ns < 2.01e9
    assert run.time.time_ns() >= int(t * 1e9)
    assert run.time.strftime is real_time.strftime and run.time.struct_time is real_time.struct_time


def test_reading_the_clock_is_to_sequence_point(run):
    steps = run.scheduler.pas
    run.time.monotonic()
    run.time.time()
    assert run.scheduler.pas == steps + 2


def test_negative_sleep_raises_like_the_real_one(run):
    assert error_of(lambda: run.time.sleep(-1)) == error_of(lambda: real_time.sleep(-1))


def test_clock_object_reads_the_schedulers_instant(run):
    clock = run.context.clock
    run.time.sleep(1.5)
    assert clock.current_time() == run.scheduler.horloge
    assert clock.deadline(None) is None and clock.remaining(None) is None
    assert clock.remaining(clock.deadline(4)) == pytest.approx(4)


def test_sleeping_threads_wake_in_deadline_order(run):
    woke = []

    def sleeper(d: float) -> None:
        run.time.sleep(d)
        woke.append(d)

    for d in (3, 1, 2):
        run.spawn(sleeper, d)
    run.wait_all()
    assert woke == [1, 2, 3] and 3 <= run.now() < 3.1


def test_time_module_lists_and_star_imports_every_name(run):
    names = {}
    exec("from time import *", {"__builtins__": {"__import__": lambda *a, **k: run.time}}, names)
    assert names["sleep"] == run.time.sleep and names["strftime"] is real_time.strftime
    assert {"sleep", "monotonic", "strftime", "gmtime"} <= set(dir(run.time))


def test_to_deleted_clock_function_is_not_replaced_by_the_real_one(run):
    from autograder.probes import space
    del run.time.sleep
    assert error_of(lambda: run.time.sleep) == error_of(lambda: space.module("time", {}).sleep)
