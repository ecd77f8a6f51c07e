"""What student code may not change in a run's bound stand-in classes, and what it may."""
from __future__ import annotations

import pytest

from autograder.probes.run_context import tampered_bindings
from standins_run import run  # noqa: F401 - fixture


def test_untouched_run_reports_nothing(run):
    run.threading.Thread, run.threading.Lock, run.queue.Queue  # bind a few classes
    assert run.context.tampered() == []


def test_student_subclass_is_not_tampering(run):
    class MyThread(run.threading.Thread):
        def run(self):
            return None

    MyThread.extra = 1
    assert run.context.tampered() == []


@pytest.mark.parametrize("name", ["start", "join", "nouveau"])
def test_attribute_set_on_to_bound_class_is_reported(run, name):
    cls = run.threading.Thread
    setattr(cls, name, lambda self, *a: None)
    try:
        assert tampered_bindings() == ["classe Thread"]
        assert run.context.tampered() == ["classe Thread"]
    finally:
        delattr(cls, name)


def test_class_swapped_in_the_table_is_reported(run):
    bound = run.threading.Thread

    class Sequential(bound):
        def start(self):
            self.run()

    table = run.context._bound
    key = next(k for k, v in table.items() if v is bound)
    table[key] = Sequential
    assert run.context.tampered() == ["table des classes"]
    assert run.threading.Thread is Sequential  # what the check guards: the module reads the table


def test_module_names_are_never_stored_in_the_module(run):
    before = dict(vars(run.threading))
    run.threading.Lock, run.threading.Thread, run.threading.__all__
    assert vars(run.threading) == before
