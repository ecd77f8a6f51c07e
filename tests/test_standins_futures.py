"""The two concurrent.futures stand-ins (cooperative and reverse-order) and the Future state machine they share."""
from __future__ import annotations

import concurrent.futures as real
from concurrent.futures._base import DoneAndNotDoneFutures

import pytest

from autograder.probes import futures_fake, standins_composite
from autograder.probes.futures_state import CANCELLED, FINISHED, PENDING, RUNNING, FutureState

from standins_run import Run, run  # noqa: F401 - run is the fixture


# -- the shared state machine -------------------------------------------------------------------------------

class DoneAtOnce(FutureState):
    """The smallest subclass: waiting never blocks (the outcome is already set by the test)."""

    def _wait(self, timeout: float | None) -> None:
        assert self._finished()


def test_state_machine_transitions_and_outcome():
    f = DoneAtOnce()
    assert (f._state, f.done(), f.running(), f.cancelled()) == (PENDING, False, False, False)
    assert f._mark_running() is True and f.running() and f._state == RUNNING
    calls = []
    f.add_done_callback(calls.append)
    f._set(42, None, FINISHED)
    f._warn()
    assert f.done() and not f.running() and f.result() == 42 and f.exception() is None and calls == [f]
    late = []
    f.add_done_callback(late.append)  # added once done: called at once, like CPython
    assert late == [f]


def test_state_machine_cancelled_and_failed():
    f = DoneAtOnce()
    f._set(None, None, CANCELLED)
    assert f._mark_running() is False and f.cancelled() and f.done()
    with pytest.raises(real.CancelledError):
        f.result()
    with pytest.raises(real.CancelledError):
        f.exception()
    g = DoneAtOnce()
    err = ValueError("v")
    g._set(None, err, FINISHED)
    assert g.exception() is err
    with pytest.raises(ValueError):
        g.result()


def test_both_fakes_share_the_state_machine():
    assert issubclass(standins_composite.Future, FutureState)
    assert issubclass(futures_fake.Future, FutureState)


# -- both modules expose the same names, the real exception classes and the real wait() result ---------------

def test_both_modules_expose_the_same_names(run):
    fake, _ = futures_fake.build_modules()
    cooperative = set(dir(run.futures)) - {"__all__", "__dir__", "__getattr__"}
    reverse = set(dir(fake["concurrent.futures"]))
    assert {n for n in cooperative if not n.startswith("_")} == {n for n in reverse if not n.startswith("_")}
    for mod in (run.futures, fake["concurrent.futures"]):
        assert mod.CancelledError is real.CancelledError and mod.TimeoutError is TimeoutError
        assert mod.FIRST_COMPLETED == real.FIRST_COMPLETED and mod.ALL_COMPLETED == real.ALL_COMPLETED


def test_both_waits_return_the_real_namedtuple(run):
    fake, _ = futures_fake.build_modules()
    reverse = fake["concurrent.futures"]
    with reverse.ThreadPoolExecutor() as ex:
        result = reverse.wait([ex.submit(abs, -1)])
    assert type(result) is DoneAndNotDoneFutures
    done, not_done = result
    assert [f.result() for f in done] == [1] and not_done == set()
    with run.futures.ThreadPoolExecutor() as ex:
        result = run.futures.wait([ex.submit(abs, -2)])
    assert type(result) is DoneAndNotDoneFutures
    done, not_done = result
    assert [f.result() for f in done] == [2] and not_done == set()
    with real.ThreadPoolExecutor() as ex:
        assert type(real.wait([ex.submit(abs, -3)])) is DoneAndNotDoneFutures


def test_unknown_name_fails_like_to_real_module(run):
    with pytest.raises(AttributeError) as e:
        run.futures.Nope
    with pytest.raises(AttributeError) as e_real:
        __import__("types").ModuleType("concurrent.futures").Nope
    assert str(e.value) == str(e_real.value)


# -- the cooperative executor --------------------------------------------------------------------------------

def test_submit_result_exception_and_workers(run):
    with run.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="w") as ex:
        ok, bad = ex.submit(pow, 2, 5), ex.submit(int, "x")
        assert ok.result(timeout=5) == 32
        assert isinstance(bad.exception(), ValueError)
        with pytest.raises(ValueError):
            bad.result()
    assert [t.name for t in run.lifecycle.threads] == ["w_0", "w_1"]
    assert isinstance(ok, standins_composite.Future) and isinstance(ok, run.futures.Future)
    assert all(not t.is_alive() for t in run.lifecycle.threads)


def test_map_keeps_input_order_and_as_completed_follows_virtual_time(run):
    def job(x: int) -> int:
        run.time.sleep(10 - x)
        return x

    with run.futures.ThreadPoolExecutor(max_workers=3) as ex:
        assert list(ex.map(job, [1, 2, 3])) == [1, 2, 3]
        fs = [ex.submit(job, x) for x in (1, 2, 3)]
        assert [fs.index(f) for f in run.futures.as_completed(fs)] == [2, 1, 0]


def test_wait_first_completed_and_first_exception(run):
    def job(x: int) -> int:
        run.time.sleep(x)
        if x == 2:
            raise KeyError(x)
        return x

    with run.futures.ThreadPoolExecutor(max_workers=3) as ex:
        fs = [ex.submit(job, x) for x in (1, 2, 5)]
        done, not_done = run.futures.wait(fs, return_when=run.futures.FIRST_COMPLETED)
        assert done == {fs[0]} and not_done == {fs[1], fs[2]}
        done, _ = run.futures.wait(fs, return_when=run.futures.FIRST_EXCEPTION)
        assert done == {fs[0], fs[1]} and 2 <= run.now() < 2.1


def test_result_timeout_raises_timeout_error(run):
    ev = run.threading.Event()
    ex = run.futures.ThreadPoolExecutor(max_workers=1)
    f = ex.submit(ev.wait)
    with pytest.raises(TimeoutError):
        f.result(timeout=4)
    assert 4 <= run.now() < 4.1 and f.running()
    ev.set()
    ex.shutdown()
    assert f.result() is True


def test_cancel_pending_future(run):
    ex = run.futures.ThreadPoolExecutor(max_workers=1)
    fs = [ex.submit(run.time.sleep, 1) for _ in range(3)]
    run.time.sleep(0.5)  # the only worker has taken the first job
    assert fs[0].running() and not fs[1].running()
    called = []
    fs[2].add_done_callback(called.append)
    assert fs[2].cancel() is True and fs[2].cancelled() and fs[2].done() and called == [fs[2]]
    with pytest.raises(real.CancelledError):
        fs[2].result()
    ex.shutdown(wait=True, cancel_futures=True)
    assert fs[0].done() and not fs[0].cancelled() and fs[1].cancelled()
    assert fs[0].cancel() is False  # finished: too late, like CPython
    with pytest.raises(RuntimeError):
        ex.submit(abs, 1)


def test_barrier_releases_all_parts_and_breaks_on_timeout(run):
    barrier = run.threading.Barrier(3)
    indices = []

    def party() -> None:
        indices.append(barrier.wait())

    for _ in range(3):
        run.spawn(party)
    run.wait_all()
    assert sorted(indices) == [0, 1, 2] and not barrier.broken and barrier.n_waiting == 0
    lonely = run.threading.Barrier(2)
    with pytest.raises(run.threading.BrokenBarrierError):
        lonely.wait(timeout=5)
    assert lonely.broken and isinstance(lonely, standins_composite.Barrier)


def test_process_pool_is_refused_in_french(run):
    with pytest.raises(RuntimeError) as e:
        run.futures.ProcessPoolExecutor()
    with pytest.raises(RuntimeError) as expected:
        standins_composite.no_process()
    assert str(e.value) == str(expected.value)


# -- the reverse-order fake ------------------------------------------------------------------------------------

def test_reverse_order_runs_each_batch_backwards():
    modules, journal = futures_fake.build_modules()
    fut = modules["concurrent.futures"]
    with fut.ThreadPoolExecutor(4) as ex:
        fs = [ex.submit(abs, -x) for x in range(4)]
        assert [f.result() for f in fut.as_completed(fs)] == [3, 2, 1, 0]
    assert journal == [-3, -2, -1, 0]
    assert list(fut.ThreadPoolExecutor().map(abs, [-1, -2])) == [1, 2] and journal[-2:] == [-2, -1]


def test_reverse_order_futures_cannot_be_cancelled_and_store_exceptions():
    modules, _ = futures_fake.build_modules()
    ex = modules["concurrent.futures"].ThreadPoolExecutor()
    f = ex.submit(int, "x")
    assert f.cancel() is False and not f.cancelled() and not f.running() and not f.done()
    assert isinstance(f.exception(), ValueError) and f.done()
    g = ex.submit(exit_now)
    with pytest.raises(SystemExit):
        g.result()
    assert not g.done()  # only an Exception is stored


def exit_now() -> None:
    raise SystemExit(3)


def test_reverse_order_pool_and_executor_classes():
    modules, journal = futures_fake.build_modules()
    fut, mp = modules["concurrent.futures"], modules["multiprocessing"]
    assert issubclass(fut.ThreadPoolExecutor, fut.Executor) and issubclass(fut.ProcessPoolExecutor, fut.Executor)
    assert isinstance(fut.ThreadPoolExecutor(), futures_fake.ThreadPoolExecutor)
    with mp.Pool(2) as pool:
        assert pool.map(abs, [-1, -2]) == [1, 2]
        assert list(pool.imap_unordered(abs, [-1, -2, -3])) == [3, 2, 1]
        assert pool.starmap(pow, [(2, 1), (2, 2)]) == [2, 4]
        r = pool.map_async(abs, [-5, -6])
        assert not r.ready() and r.get() == [5, 6] and r.ready()
        assert pool.apply_async(abs, (-7,)).get() == 7 and pool.apply(abs, (-8,)) == 8
    assert mp.cpu_count() == 2 and mp.get_context("spawn") is mp
    other, other_journal = futures_fake.build_modules()
    assert other_journal == [] and other["multiprocessing"].Pool is not mp.Pool  # per-call classes and log
