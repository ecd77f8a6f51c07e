"""Stand-in classes live at module level: tampering with them is reported; a run's own classes stay its own."""
from __future__ import annotations

import pytest

from autograder import jail
from autograder.probes.api import MSG_ALTERATION, CheckFailed, Submission
from autograder.probes.harness import executer

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def running_jail():
    p = jail.Jail()
    yield p
    p.close_all()


def run_in(running_jail, source: str) -> tuple[object, list[str]]:
    s = Submission({"c": source}, running_jail=running_jail, task="c")
    flagged: list[str] = []
    s.report = flagged.append
    return s.executer(["c"], lambda ctx: ctx["f"]()).valeur, flagged


@pytest.mark.parametrize("target, reported", [
    ("type(threading.Lock()).__mro__[1].release", "autograder.probes.standins.Lock"),
    ("threading.Timer.__mro__[1].cancel", "autograder.probes.standins_threads.Timer"),
    ("type(queue.Queue()).__mro__[1].put", "autograder.probes.standins_file.Queue"),
])
def test_patching_to_module_level_stand_in_is_reported(running_jail, target, reported):
    source = f"import threading, queue\n{target} = lambda *a: None\ndef f():\n    return 1\n"
    s = Submission({"c": source}, running_jail=running_jail, task="c")
    flagged: list[str] = []
    s.report = flagged.append
    with pytest.raises(CheckFailed) as e:
        s.executer(["c"], lambda ctx: ctx["f"]())
    assert str(e.value) == MSG_ALTERATION.format(quoi=reported) and flagged == ["alteration"]


def test_patching_the_runs_own_class_is_reported_and_stays_in_that_run(running_jail):
    """The run's bound Lock is the grader's Lock too: changing it is tampering, and the next run never sees it."""
    patched = "import threading\nthreading.Lock.locked = lambda self: 'patched'\n" \
              "def f():\n    return threading.Lock().locked()\n"
    s = Submission({"c": patched}, running_jail=running_jail, task="c")
    flagged: list[str] = []
    s.report = flagged.append
    with pytest.raises(CheckFailed) as e:
        s.executer(["c"], lambda ctx: ctx["f"]())
    assert str(e.value) == MSG_ALTERATION.format(quoi="classe Lock") and flagged == ["alteration"]
    assert run_in(running_jail, "import threading\ndef f():\n    return threading.Lock().locked()\n") == (False, [])


def test_rebinding_to_name_of_the_students_module_is_reported(running_jail):
    s = Submission({"c": "import time\ntime.sleep = lambda s: None\ndef f():\n    return 1\n"}, running_jail=running_jail, task="c")
    s.report = lambda genre: None
    with pytest.raises(CheckFailed) as e:
        s.executer(["c"], lambda ctx: ctx["f"]())
    assert str(e.value) == MSG_ALTERATION.format(quoi="module time")


def test_in_process_runs_do_not_share_classes():
    """Outside the jail too: a student replacing Thread.start changes only their own run."""
    executer({"c": "import threading\nthreading.Thread.start = lambda self: None\n"}, lambda ctx: None)
    src = "import threading\ndef f():\n    t = threading.Thread(target=print)\n    t.start()\n    t.join()\n" \
          "    return t.is_alive(), threading.active_count()\n"
    ex = executer({"c": src}, lambda ctx: ctx["f"]())
    assert ex.valeur == (False, 1) and ex.cycle.demarres() == ["T1"]
