"""Stand-in Lock, RLock, Condition, Semaphore, BoundedSemaphore and Event, called directly in-process."""
from __future__ import annotations

import threading as real

import pytest

from autograder.probes import standins
from autograder.probes.run_context import RunContext, StandIn

from standins_run import Run, run, error_of  # noqa: F401 - run is the fixture


# -- classes, binding, isinstance --------------------------------------------------------------------

def test_run_classes_are_subclasses_of_the_module_level_stand_ins(run):
    lock, rlock = run.threading.Lock(), run.threading.RLock()
    assert isinstance(lock, standins.Lock) and isinstance(rlock, standins.RLock)
    assert not isinstance(lock, standins.RLock) and not isinstance(rlock, standins.Lock)
    assert isinstance(lock, standins._OwnedLock) and isinstance(rlock, standins._OwnedLock)
    assert isinstance(run.threading.Condition(), standins.Condition)
    assert isinstance(run.threading.Event(), standins.Event)
    assert type(lock).__name__ == "Lock" and type(lock)._standin_context is run.context


def test_each_run_binds_its_own_class_once(run):
    other = Run()
    try:
        assert run.threading.Lock is run.threading.Lock
        assert run.context.bind(standins.Lock) is run.threading.Lock
        assert run.threading.Lock is not other.threading.Lock
        assert issubclass(other.threading.Lock, standins.Lock)
    finally:
        other.close()


def test_public_bases_are_bound_too(run):
    """The run's BoundedSemaphore is a subclass of the run's Semaphore, as with the real module."""
    assert issubclass(run.threading.BoundedSemaphore, run.threading.Semaphore)
    assert isinstance(run.threading.BoundedSemaphore(2), run.threading.Semaphore)
    assert isinstance(real.BoundedSemaphore(2), real.Semaphore)


def test_to_class_attribute_set_on_the_run_class_stays_in_the_run(run):
    run.threading.Lock.locked = lambda self: "patched"
    other = Run()
    try:
        assert other.threading.Lock().locked() is False
        assert standins.Lock.locked is not run.threading.Lock.locked
    finally:
        other.close()


def test_module_level_classes_hold_no_run():
    for cls in (standins.Lock, standins.RLock, standins.Condition, standins.Semaphore, standins.Event):
        assert issubclass(cls, StandIn) and cls._standin_context is None


def test_unknown_name_gets_the_french_message_of_every_stand_in_module(run):
    from autograder.probes import space
    for name in ("threading", "queue", "time"):
        assert error_of(lambda: getattr(run.modules[name], "Foo")) == \
            error_of(lambda: getattr(space.module(name, {}), "Foo"))


def test_star_import_and_dir_list_every_name(run):
    names = {}
    exec("from threading import *", {"__builtins__": {"__import__": lambda *a, **k: run.threading}}, names)
    for n in ("Lock", "RLock", "Condition", "Semaphore", "BoundedSemaphore", "Event", "Thread", "Timer",
              "Barrier", "local", "current_thread", "TIMEOUT_MAX"):
        assert n in names and n in dir(run.threading)
    assert names["Lock"] is run.threading.Lock


# -- Lock ----------------------------------------------------------------------------------------------

def test_lock_acquire_release_locked(run):
    lock = run.threading.Lock()
    assert lock.locked() is False
    assert lock.acquire() is True and lock.locked()
    assert lock.acquire(blocking=False) is False
    lock.release()
    assert not lock.locked()
    with lock:
        assert lock.locked()
    assert not lock.locked()


def test_lock_acquire_timeout_waits_virtual_time_only(run):
    lock = run.threading.Lock()
    run.spawn(lock.acquire)
    run.wait_all()
    start = run.now()
    assert lock.acquire(timeout=2.5) is False
    assert 2.5 <= run.now() - start < 2.6


def test_lock_released_by_another_task_wakes_the_waiter(run):
    lock = run.threading.Lock()
    lock.acquire()
    run.spawn(lock.release)
    assert lock.acquire(timeout=5) is True
    assert run.now() < 1


def test_lock_release_unlocked_raises_like_the_real_one(run):
    assert error_of(run.threading.Lock().release) == error_of(real.Lock().release)


def test_lock_records_who_took_it(run):
    lock = run.threading.Lock()

    def take() -> None:
        with lock:
            pass

    run.spawn(take).join()
    with lock:
        pass
    assert run.lifecycle.preneurs_verrous == [["T1", "T0"]] and run.lifecycle.verrous_crees == 1


def write_then_read(run, primitive_write, primitive_read) -> list[str]:
    """T1 writes x after ``primitive_write``; T0, never joining it, reads x after ``primitive_read``; races seen."""
    def writer() -> None:
        run.observer.access(run.scheduler.current_task(), "écrit", "x", 1)
        primitive_write()

    run.spawn(writer)
    run.time.sleep(1)  # T1 has ended; T0 did not join it
    primitive_read()
    run.observer.access(run.t0, "lit", "x", 1)
    return [c.variable for c in run.observer.courses]


def test_lock_release_then_acquire_orders_accesses(run):
    lock = run.threading.Lock()

    def release_edge() -> None:
        lock.acquire()
        lock.release()

    assert write_then_read(run, release_edge, release_edge) == []


def test_without_an_edge_the_race_is_seen(run):
    assert write_then_read(run, lambda: None, lambda: None) == ["x"]


def test_event_set_then_wait_orders_accesses(run):
    ev = run.threading.Event()
    assert write_then_read(run, ev.set, ev.wait) == []


def test_semaphore_release_then_acquire_orders_accesses(run):
    sem = run.threading.Semaphore(0)
    assert write_then_read(run, sem.release, sem.acquire) == []


def test_lock_taken_twice_by_its_holder_is_to_deadlock_naming_it(run):
    lock = run.threading.Lock()
    lock.acquire()
    assert run.deadlock(lock.acquire) == ["T0 attend un verrou qu'il détient déjà (ligne 0)"]


# -- RLock ---------------------------------------------------------------------------------------------

def test_rlock_is_reentrant_and_released_as_many_times(run):
    rlock = run.threading.RLock()
    assert rlock.acquire() and rlock.acquire(blocking=False)
    rlock.release()
    t = run.spawn(lambda: rlock.acquire(blocking=False))
    t.join()
    assert rlock._owner is run.t0  # still held once: the other task could not take it
    rlock.release()
    assert rlock._owner is None and rlock._level == 0


def test_rlock_release_by_not_owner_raises_like_the_real_one(run):
    assert error_of(run.threading.RLock().release) == error_of(real.RLock().release)


def test_rlock_wait_names_its_holder(run):
    rlock = run.threading.RLock()
    run.spawn(rlock.acquire)
    run.wait_all()
    assert run.deadlock(rlock.acquire) == ["T0 attend un verrou réentrant détenu par T1 (ligne 0)"]


# -- Condition -----------------------------------------------------------------------------------------

def test_condition_default_lock_is_the_runs_rlock(run):
    cond = run.threading.Condition()
    assert type(cond._lock) is run.threading.RLock
    cond = run.threading.Condition(run.threading.Lock())
    assert type(cond._lock) is run.threading.Lock


def test_condition_wait_and_notify_need_the_lock_like_the_real_one(run):
    assert error_of(run.threading.Condition().wait) == error_of(real.Condition().wait)
    assert error_of(run.threading.Condition().notify) == error_of(real.Condition().notify)


def test_condition_wait_timeout_returns_false_and_retakes_the_lock(run):
    cond = run.threading.Condition()
    with cond:
        with cond:  # an RLock taken twice is given back fully, then re-taken at the same depth
            assert cond.wait(1.5) is False
            assert cond._lock._owner is run.t0 and cond._lock._level == 2
    assert 1.5 <= run.now() < 1.6


def test_condition_notify_wakes_one_waiter_notify_all_the_rest(run):
    cond = run.threading.Condition(run.threading.Lock())
    woken = []

    def waiter(i: int) -> None:
        with cond:
            if cond.wait(timeout=100):
                woken.append(i)

    for i in range(3):
        run.spawn(waiter, i)
    run.time.sleep(1)  # every waiter is waiting by now
    with cond:
        cond.notify()
    run.time.sleep(1)
    assert len(woken) == 1
    with cond:
        cond.notify_all()
    run.wait_all()
    assert sorted(woken) == [0, 1, 2] and run.now() < 50


def test_condition_wait_for_predicate_and_timeout(run):
    cond = run.threading.Condition()
    box = []

    def producer() -> None:
        run.time.sleep(3)
        with cond:
            box.append(1)
            cond.notify_all()

    run.spawn(producer)
    with cond:
        assert cond.wait_for(lambda: box, timeout=10) == [1]
        assert 3 <= run.now() < 3.1
        assert cond.wait_for(lambda: len(box) > 1, timeout=2) is False
    assert 5 <= run.now() < 5.1


# -- Semaphore, BoundedSemaphore -------------------------------------------------------------------------

def test_semaphore_counts_and_blocks_at_zero(run):
    sem = run.threading.Semaphore(2)
    assert sem.acquire() and sem.acquire(blocking=False)
    assert sem.acquire(blocking=False) is False
    assert sem.acquire(timeout=1) is False
    sem.release(2)
    assert sem._valeur == 2
    with sem:
        assert sem._valeur == 1


def test_semaphore_release_wakes_to_waiter(run):
    sem = run.threading.Semaphore(0)
    run.spawn(sem.release)
    assert sem.acquire(timeout=10) is True and run.now() < 1


def test_semaphore_errors_match_the_real_ones(run):
    assert error_of(lambda: run.threading.Semaphore(-1)) == error_of(lambda: real.Semaphore(-1))
    assert error_of(run.threading.BoundedSemaphore(1).release) == error_of(real.BoundedSemaphore(1).release)
    unbounded = run.threading.Semaphore(1)
    unbounded.release()  # a plain semaphore goes above its initial value, like the real one
    assert unbounded._valeur == 2


def test_semaphore_wait_is_named_in_to_deadlock(run):
    sem = run.threading.Semaphore(0)
    assert run.deadlock(sem.acquire) == ["T0 attend un sémaphore (ligne 0)"]


# -- Event -----------------------------------------------------------------------------------------------

def test_event_set_clear_wait(run):
    ev = run.threading.Event()
    assert ev.is_set() is False and ev.isSet() is False
    assert ev.wait(0.5) is False and 0.5 <= run.now() < 0.6
    ev.set()
    assert ev.is_set() and ev.wait() is True
    ev.clear()
    assert not ev.is_set()


def test_event_wait_wakes_when_another_task_sets_it(run):
    ev = run.threading.Event()

    def setter() -> None:
        run.time.sleep(2)
        ev.set()

    run.spawn(setter)
    assert ev.wait(timeout=10) is True
    assert 2 <= run.now() < 2.1


def test_same_contract_as_real_threading_for_uncontended_calls(run):
    """The calls a single thread makes return what the real primitives return."""
    def script(th) -> list:
        lock, rlock, sem, ev = th.Lock(), th.RLock(), th.BoundedSemaphore(2), th.Event()
        out = [lock.acquire(), lock.acquire(blocking=False), lock.locked()]
        lock.release()
        out += [rlock.acquire(), rlock.acquire(), sem.acquire(), sem.acquire(blocking=False),
                sem.acquire(blocking=False), ev.is_set(), ev.wait(0), ev.set(), ev.wait(0)]
        cond = th.Condition()
        with cond:
            out.append(cond.wait_for(lambda: 7, timeout=0))
        return out

    assert script(run.threading) == script(real)


def test_context_new_builds_an_instance_of_the_run_class(run):
    assert isinstance(run.context, RunContext)
    assert type(run.context.new(standins.Event)) is run.threading.Event
