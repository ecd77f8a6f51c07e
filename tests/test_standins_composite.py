"""threading.Barrier and concurrent.futures stand-ins: real semantics, on the scheduler and its virtual clock."""
from __future__ import annotations

from autograder.probes.harness import executer


def run_source(src: str, seed: int = 0):
    ex = executer({"c": src}, lambda ctx: ctx["principal"](), seed)
    assert ex.exception is None and not ex.interblocage and not ex.exceptions_threads, ex
    return ex


BARRIER = """
import threading
def principal():
    b = threading.Barrier(3)
    arrivees, apres = [], []
    def f(i):
        arrivees.append(i)
        indice = b.wait()
        apres.append((len(arrivees), indice))
        b.wait()  # the barrier is reusable: a second generation
    fils = [threading.Thread(target=f, args=(i,)) for i in range(3)]
    for t in fils:
        t.start()
    for t in fils:
        t.join(timeout=10)
    return sorted(apres), b.broken, b.n_waiting
"""


def test_barrier_leaves_pass_when_all_are():
    for seed in range(5):
        after, broken, waiting = run_source(BARRIER, seed).valeur
        assert after == [(3, 0), (3, 1), (3, 2)] and not broken and waiting == 0


def test_barrier_broken_by_a_timeout_virtual():
    src = """
import threading
def principal():
    b = threading.Barrier(2)
    try:
        b.wait(timeout=5)
    except threading.BrokenBarrierError:
        return "cassée", b.broken
"""
    ex = run_source(src)
    assert ex.valeur == ("cassée", True) and 5 <= ex.duree_virtuelle < 5.01


EXECUTOR = """
from concurrent.futures import ThreadPoolExecutor, as_completed, wait, FIRST_COMPLETED
import threading, time
def principal():
    def travail(x):
        time.sleep(10 - x)  # later inputs finish first
        if x == 3:
            raise ValueError("trois")
        return x * x
    with ThreadPoolExecutor(max_workers=4) as ex:
        dans_l_ordre = list(ex.map(travail, [0, 1, 2]))
        fs = [ex.submit(travail, x) for x in (1, 2, 3)]
        premiers, _ = wait(fs, return_when=FIRST_COMPLETED)
        ordre_fin = [fs.index(f) for f in as_completed(fs)]
        erreur = fs[2].exception()
        try:
            fs[2].result()
        except ValueError as e:
            relevee = str(e)
    return dans_l_ordre, [fs.index(f) for f in premiers], ordre_fin, repr(erreur), relevee, threading.active_count()
"""


def test_executor_order_errors_and_end_of_workers():
    ex = run_source(EXECUTOR)
    order, first, order_end, error, raised, alive = ex.valeur
    assert order == [0, 1, 4]                 # map keeps input order
    assert first == [2] and order_end == [2, 1, 0]  # completion order follows virtual sleeps
    assert error == "ValueError('trois')" and raised == "trois"
    assert alive == 1                       # shutdown(wait=True) joined every worker
    assert len(ex.cycle.demarres()) == 4 and set(ex.cycle.joined()) == set(ex.cycle.demarres())


def test_executor_a_worker_by_submit_until_at_maximum():
    src = """
from concurrent.futures import ThreadPoolExecutor
def principal():
    with ThreadPoolExecutor(max_workers=2) as ex:
        fs = [ex.submit(pow, 2, k) for k in range(5)]
    return [f.result() for f in fs]
"""
    for seed in range(5):
        ex = run_source(src, seed)
        assert ex.valeur == [1, 2, 4, 8, 16] and len(ex.cycle.demarres()) == 2


def test_executor_cancelled_work_in_wait():
    src = """
from concurrent.futures import ThreadPoolExecutor
import time
def principal():
    ex = ThreadPoolExecutor(max_workers=1)
    fs = [ex.submit(time.sleep, 1) for _ in range(3)]
    ex.shutdown(wait=True, cancel_futures=True)
    try:
        ex.submit(time.sleep, 1)
    except RuntimeError:
        refuse = True
    return [f.cancelled() for f in fs], refuse
"""
    cancelled, refused = run_source(src).valeur
    assert refused and cancelled[1:] == [True, True]  # the first may have started before shutdown
