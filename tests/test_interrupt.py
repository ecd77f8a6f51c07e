"""Ctrl-C handling of a batch: deferred while a result is saved, recognised when a library converts it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from autograder.interrupt import CtrlC

from conftest import CATALOGUE


def _ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)


def test_interrupt_in_deferred_block_waits_for_its_end():
    done = []
    with CtrlC() as ctrl_c:
        with pytest.raises(KeyboardInterrupt):
            with ctrl_c.deferred():
                _ctrl_c()
                time.sleep(0.05)  # a signal handler runs between bytecodes: it has run by now
                done.append("saved")
        assert ctrl_c.seen
    assert done == ["saved"]


def test_nested_deferred_blocks_raise_once_at_the_outer_end():
    done = []
    with CtrlC() as ctrl_c:
        with pytest.raises(KeyboardInterrupt):
            with ctrl_c.deferred():
                with ctrl_c.deferred():
                    _ctrl_c()
                    time.sleep(0.05)
                done.append("inner ended without raising")
    assert done == ["inner ended without raising"]


def test_interrupt_outside_a_deferred_block_is_immediate():
    with CtrlC() as ctrl_c:
        with pytest.raises(KeyboardInterrupt):
            _ctrl_c()
            time.sleep(1)
            pytest.fail("the interrupt did not stop the block")
        assert ctrl_c.seen


def test_previous_handler_is_restored():
    before = signal.getsignal(signal.SIGINT)
    with CtrlC():
        assert signal.getsignal(signal.SIGINT) is not before
    assert signal.getsignal(signal.SIGINT) is before


# A library that catches the KeyboardInterrupt and raises its own exception (SQLAlchemy does so in a commit).
CONVERTED = textwrap.dedent("""
    import os, shutil, signal, sys, time
    from pathlib import Path
    from autograder.assignment import load_assignment
    from autograder.batch import Copy, Interrupted, descendants, grade_batch
    from autograder.samples import write_variant

    root, variant = Path(sys.argv[1]), Path(sys.argv[2])
    assignment = load_assignment(root, "02-verrous")
    copies = []
    for i in range(3):
        path = root / "submitted" / f"e{i}" / "02-verrous" / "02-verrous.ipynb"
        write_variant(assignment, variant, path)
        copies.append(Copy(f"e{i}", path))

    def converted(copy, result):
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)
        except KeyboardInterrupt:
            raise RuntimeError("converted by a library") from None

    try:
        grade_batch(root, assignment, copies, root / "out", 1, to_result=converted, show=False)
    except Interrupted:
        print("interrupted", len(list((root / "out").glob("*.json"))), len(descendants(os.getpid())))
""")


def test_batch_stops_its_workers_when_a_library_converts_the_interrupt(cours: Path):
    """Ctrl-C while a result is saved: the result is saved whole, then the batch stops (no worker left)."""
    proc = subprocess.run([sys.executable, "-c", CONVERTED, str(cours), str(CATALOGUE / "02-verrous" / "ok_rlock.py")],
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.split() == ["interrupted", "1", "0"], proc.stderr


PREPARE_CONVERTED = CONVERTED.replace("to_result=converted", "prepare=lambda: converted(None, None)")


def test_batch_stops_when_the_interrupt_comes_out_of_prepare_as_another_exception(cours: Path):
    proc = subprocess.run([sys.executable, "-c", PREPARE_CONVERTED, str(cours),
                           str(CATALOGUE / "02-verrous" / "ok_rlock.py")],
                          capture_output=True, text=True, timeout=120)
    assert proc.stdout.split()[0::2] == ["interrupted", "0"], proc.stderr
