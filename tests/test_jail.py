"""The jail: student code sees nothing of the course, cannot reach the verdict, and leaves nothing behind."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder import jail
from autograder.gradebook import environnement_nbgrader
from autograder.probes.api import MSG_ALTERATION, MSG_PREUVE_INVALIDE, CheckFailed, Submission
from autograder.results import read_result

from conftest import ROOT, execute_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


PROBE = '''
_b = print.__self__
_os = _b.__import__("os")
_socket = _b.__import__("socket")

def sonder(chemins):
    lus = {}
    for c in chemins:
        try:
            with _b.open(c, "rb") as f:
                f.read(16)
            lus[c] = "lu"
        except Exception as e:
            lus[c] = type(e).__name__
    try:
        _socket.create_connection(("127.0.0.1", 22), timeout=1)
        reseau = "connecte"
    except OSError as e:
        reseau = type(e).__name__
    try:
        _b.__import__("pytest")
        pytest_present = True
    except ImportError:
        pytest_present = False
    try:
        _os.kill(1, 9)
        tue = True
    except OSError:
        tue = False
    return (lus, sorted(_os.listdir("/")), sorted(_os.listdir("/dev")), _os.getuid(), reseau,
            pytest_present, tue, _os.getpid())
'''


def _probe(ns):
    return ns["sonder"](ns["CHEMINS"])


@pytest.fixture
def running_jail():
    p = jail.Jail()
    yield p
    p.close_all()


def _submission(running_jail, source: str) -> Submission:
    return Submission({"sonde": source}, running_jail=running_jail, task="sonde")


def test_sees_nothing_of_course(running_jail):
    secrets = [ROOT / "assignments" / "02-verrous" / "test_02_verrous.py",
               ROOT / "source" / "02-verrous" / "02-verrous.ipynb", ROOT / "README.md", Path("/etc/passwd")]
    source = PROBE + f"\nCHEMINS = {[str(s) for s in secrets]!r}\n"
    ex = _submission(running_jail, source).execute_real(["sonde"], _probe)
    assert ex.exception is None, ex.exception
    read_items, root, dev, uid, network, pytest_present, killed, pid = ex.valeur
    assert all(v != "lu" for v in read_items.values()), read_items
    assert set(root) <= {"bin", "dev", "lib", "lib32", "lib64", "libx32", "opt", "proc", "root", "tmp", "usr"}
    assert "work" not in root and "home" not in root
    assert set(dev) == {"null", "zero", "urandom", "shm"}
    assert uid != 0 and uid != os.getuid()
    assert network != "connecte"
    assert pytest_present is False
    assert killed is False  # the jail's first process cannot be killed from inside
    assert pid < 100  # a PID namespace of its own: the grading processes cannot be named


def test_fresh_fork_per_run(running_jail):
    """A run that patches builtins is reported; the next run starts from a clean fork."""
    source = "print.__self__.abs = lambda x: 0\ndef f():\n    return abs(-3)\n"
    s = _submission(running_jail, source)
    reported = []
    s.report = reported.append
    with pytest.raises(CheckFailed) as e:
        s.execute_real(["sonde"], lambda ns: ns["f"]())
    assert str(e.value) == MSG_ALTERATION.format(quoi="builtins")
    assert reported == ["alteration"]
    own = _submission(running_jail, "def f():\n    return abs(-3)\n")
    assert own.execute_real(["sonde"], lambda ns: ns["f"]()).valeur == 3


EXEC_COUNTER = '''
import threading
compteur = 0
exec(compile("""
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
""", "<x>", "exec"))
'''


def _two_threads(ctx):
    ctx.ns["compteur"] = 0
    fils = [ctx.threading.Thread(target=ctx["incrementer"], args=(30,)) for _ in range(2)]
    for t in fils:
        t.start()
    for t in fils:
        t.join()
    return ctx.ns["compteur"]


def test_dynamic_code_traced(running_jail):
    """Code made with exec(compile(...)) under a name of the student's choosing is still interleaved."""
    s = Submission({"incrementer": EXEC_COUNTER}, running_jail=running_jail, task="incrementer")
    courses = [s.executer(["incrementer"], _two_threads, g, globales=["compteur"]).courses for g in range(3)]
    assert all(courses), "an exec'd unlocked counter must be seen racing on every seed"


def test_forged_proof_on_channel(running_jail):
    """Writing fake answers on every file descriptor is tampering, not a way to a grade."""
    source = ('_os = print.__self__.__import__("os")\n'
              'for fd in range(3, 64):\n'
              '    try:\n'
              '        _os.write(fd, b\'{"statut": "ok", "preuve": {"valeur": 42}}\\n\')\n'
              '    except OSError:\n'
              '        pass\n'
              'def f():\n    return 1\n')
    s = _submission(running_jail, source)
    reported = []
    s.report = reported.append
    with pytest.raises(CheckFailed) as e:
        s.execute_real(["sonde"], lambda ns: ns["f"]())
    # Its only writable channel is its own evidence pipe: the mix is rejected and reported, never read as 42.
    assert str(e.value) == MSG_PREUVE_INVALIDE.format(detail="not JSON: JSONDecodeError")
    assert reported == ["alteration"]


def _count_process_jail() -> int:
    """Processes of this test's jail user (uid UID_BASE + the pid of the process that started the jail)."""
    uid = jail.UID_BASE + os.getpid()
    n = 0
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if os.stat(f"/proc/{d}").st_uid == uid:
                    n += 1
            except OSError:
                pass
    return n


@pytest.mark.skipif(os.geteuid() != 0, reason="jail users are distinct uids only when grading as root")
def test_nothing_left_behind(tmp_path: Path):
    """No process, file or folder of a submission remains after grading (counted)."""
    cell = ('_os = print.__self__.__import__("os")\n'
               'open_ = print.__self__.open\n'
               'for i in range(6):\n'
               '    if _os.fork() == 0:\n'
               '        if i % 2:\n'
               '            _os.setsid()\n'
               '        _os.execv("/bin/sleep", ["sleep", "4343"])\n'
               'open_("/tmp/reste-de-copie", "w").write("x")\n'
               'open_("/dev/shm/reste-de-copie", "w").write("x")\n'
               'def f():\n    return 1\n')
    before_tmp, before_shm = set(os.listdir("/tmp")), set(os.listdir("/dev/shm"))
    p = jail.Jail()
    try:
        ex = _submission(p, cell).execute_real(["sonde"], lambda ns: ns["f"]())
        assert ex.valeur == 1
    finally:
        p.close_all()
    fin = time.monotonic() + 5  # the kernel reaps a dead PID namespace asynchronously: a bounded wait
    while _count_process_jail() and time.monotonic() < fin:
        time.sleep(0.05)
    assert _count_process_jail() == 0
    assert not any("4343" in _cmdline(d) for d in os.listdir("/proc") if d.isdigit())
    assert "reste-de-copie" not in set(os.listdir("/tmp")) - before_tmp
    assert "reste-de-copie" not in set(os.listdir("/dev/shm")) - before_shm


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return ""


def test_refuses_to_grade_without_bwrap(tmp_path: Path):
    """A machine where the jail cannot start refuses to grade, with the instructor-facing message."""
    false = tmp_path / "bin"
    false.mkdir()
    (false / "bwrap").write_text("#!/bin/sh\nexit 1\n")
    (false / "bwrap").chmod(0o755)
    nb = ROOT / "release" / "02-verrous" / "02-verrous.ipynb"
    env = {**environnement_nbgrader(), "PATH": f"{false}:{os.environ['PATH']}"}
    env.pop(jail.VARIABLE_NO_JAIL, None)
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", str(nb), "--assignment", "02-verrous"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "bubblewrap" in proc.stderr and jail.VARIABLE_NO_JAIL in proc.stderr


def test_batch_honest_and_hostiles(cours: Path, tmp_path: Path):
    """Honest submissions graded in one batch with hostile ones keep exactly their scores graded alone."""
    from autograder.assignment import load_assignment
    from autograder.samples import write_variant
    assignment = load_assignment(cours, "02-verrous")
    deposit = tmp_path / "depot"
    deposit.mkdir()
    honest = ["ok_rlock.py", "ko_sans_verrou.py"]
    hostiles = ["fork_20_enfants.py", "boucle_infinie_appel.py", "exit_reel_chargement.py"]
    for nom in honest:
        write_variant(assignment, ROOT / "tests" / "soumissions" / "02-verrous" / nom, deposit / f"h-{nom[:-3]}.ipynb")
    for nom in hostiles:
        write_variant(assignment, ROOT / "tests" / "hostiles" / nom, deposit / f"x-{nom[:-3]}.ipynb")
    only = {}
    for nom in honest:
        output = tmp_path / f"{nom}.json"
        proc = execute_cli("grade", str(deposit / f"h-{nom[:-3]}.ipynb"), "--assignment", "02-verrous",
                            "--json", str(output), cwd=cours)
        assert proc.returncode == 0, proc.stderr
        only[f"h-{nom[:-3]}"] = read_result(output)
    proc = execute_cli("batch", str(deposit), "--assignment", "02-verrous", "--jobs", "2", cwd=cours, timeout=400)
    assert proc.returncode in (0, 1), proc.stderr
    for etudiant, single in only.items():
        in_batch = read_result(cours / "resultats" / "02-verrous" / f"{etudiant}.json")
        assert [(t.id, t.score, [c.message for c in t.checks]) for t in in_batch.tasks] == \
               [(t.id, t.score, [c.message for c in t.checks]) for t in single.tasks]
    assert shutil.which("bwrap")


NEUTRALIZE = """
import threading
compteur = 0
def _neutraliser():
    try:
        raise Exception
    except Exception as e:
        f = e.__traceback__.tb_frame
    while f is not None:
        if "obs" in f.f_locals:
            f.f_locals["obs"].globales = set()
        f = f.f_back
_neutraliser()
def incrementer(nb_fois):
    global compteur
    for _ in range(nb_fois):
        compteur += 1
"""


def test_frame_walk_refused(running_jail):
    """Walking up from a traceback to the probes' frames is refused and reported as tampering."""
    s = Submission({"incrementer": NEUTRALIZE}, running_jail=running_jail, task="incrementer")
    reported = []
    s.report = reported.append
    with pytest.raises(CheckFailed) as e:
        s.executer(["incrementer"], _two_threads, 0, globales=["compteur"])
    assert str(e.value) == MSG_ALTERATION.format(quoi="object.__getattr__ tb_frame")
    assert reported == ["alteration"]


def test_formatted_traceback_still_allowed(running_jail):
    """Formatting an exception (traceback.format_exc) hands out text only: allowed, not reported."""
    source = ("import traceback\n"
              "def f():\n"
              "    try:\n"
              "        1 / 0\n"
              "    except ZeroDivisionError:\n"
              "        return traceback.format_exc().splitlines()[-1]\n")
    s = _submission(running_jail, source)
    reported = []
    s.report = reported.append
    assert s.execute_real(["sonde"], lambda ns: ns["f"]()).valeur == "ZeroDivisionError: division by zero"
    assert reported == []


def test_forged_proof_then_exit(running_jail):
    """Evidence written by student code and followed by os._exit lacks the request's secret: rejected."""
    source = ('_os = print.__self__.__import__("os")\n'
              'for fd in range(3, 64):\n'
              '    try:\n'
              '        _os.write(fd, b\'{"valeur": 42}\\n\')\n'
              '    except OSError:\n'
              '        pass\n'
              '_os._exit(0)\n')
    s = _submission(running_jail, source)
    reported = []
    s.report = reported.append
    with pytest.raises(CheckFailed) as e:
        s.execute_real(["sonde"], lambda ns: 1)
    assert str(e.value) == MSG_PREUVE_INVALIDE.format(detail="preuve sans le jeton de la demande")
    assert reported == ["alteration"]


class _AlwaysEqual:
    """A replacement that claims to equal anything: the fingerprint must compare identities."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


@pytest.mark.parametrize("change", [
    lambda m: setattr(m, "abs", _AlwaysEqual()),
    lambda m: setattr(m, "nouveau", 1),
    lambda m: delattr(m, "abs"),
    lambda m: (delattr(m, "abs"), setattr(m, "abs", _AlwaysEqual())),
], ids=["replaced", "added", "removed", "removed-then-re-added"])
def test_fingerprint_sees_every_change(change) -> None:
    import types

    from autograder.jail_server import _changes, _empreinte
    m = types.ModuleType("surveille")
    m.abs, m.len = abs, len
    objects = {"surveille": m, "autre": types.ModuleType("autre")}
    avant = _empreinte(objects)
    assert _changes(avant, objects) == []
    change(m)
    assert _changes(avant, objects) == ["surveille"]


# Started by student code, a program runs without the worker's guard: if it could read the worker's or the
# server's memory (the request's nonce) or open their descriptors (the evidence pipe), it could forge evidence.
FOREIGN_PROGRAM = r'''
_b = print.__self__
_sp = _b.__import__("subprocess")
_sys = _b.__import__("sys")
CODE = """
import os
out = []
worker = os.getppid()
server = int(open(f"/proc/{worker}/stat").read().rsplit(")", 1)[1].split()[1])
for pid in (worker, server):
    try:
        start = int(open(f"/proc/{pid}/maps").readline().split("-")[0], 16)
        with open(f"/proc/{pid}/mem", "rb") as f:
            f.seek(start)
            f.read(16)
        out.append("mem lu")
    except OSError as e:
        out.append("mem " + type(e).__name__)
    try:
        out.append("fd " + ",".join(os.listdir(f"/proc/{pid}/fd")))
    except OSError as e:
        out.append("fd " + type(e).__name__)
print(";".join(out))
"""
def sonder():
    return _sp.run([_sys.executable, "-S", "-c", CODE], capture_output=True, text=True).stdout.strip()
'''


def test_foreign_program_cannot_read_worker_or_server(running_jail):
    """A program started by student code can neither read the worker's or the server's memory nor open
    their descriptors (both processes are non-dumpable)."""
    ex = _submission(running_jail, FOREIGN_PROGRAM).execute_real(["sonde"], lambda ns: ns["sonder"]())
    assert ex.exception is None, ex.exception
    assert ex.valeur == ";".join(["mem PermissionError", "fd PermissionError"] * 2)


def test_import_ctypes_refused(running_jail):
    """ctypes (used by the server itself) is not left imported: a student's import is audited and refused."""
    s = _submission(running_jail, "def f():\n    return print.__self__.__import__('ctypes').sizeof\n")
    reported = []
    s.report = reported.append
    with pytest.raises(CheckFailed) as e:
        s.execute_real(["sonde"], lambda ns: ns["f"]())
    assert str(e.value) == MSG_ALTERATION.format(quoi="import")
    assert reported == ["alteration"]


def test_fork_changes_only_what_workers_refresh():
    """A worker compares against the server's fingerprint, refreshed only for CHANGED_BY_FORK: forking must
    change nothing else among the watched objects (or every run would be reported as tampering)."""
    from autograder import jail_server

    state = jail_server.State({})
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child only reports and exits
        try:
            os.write(writing, ",".join(jail_server._changes(state.fingerprint, state.watched)).encode())
        finally:
            os._exit(0)
    os.close(writing)
    changed = os.read(reading, 1 << 16).decode()
    os.close(reading)
    os.waitpid(pid, 0)
    assert set(filter(None, changed.split(","))) <= set(jail_server.CHANGED_BY_FORK)
    assert "threading" in state.watched
