"""Parent side: start the grading process, read its verdicts under wall clocks, leave nothing behind."""
from __future__ import annotations

import ctypes
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from enum import StrEnum

from .process import children, kill_tree
from .request import GradingRequest
from .results import Incident

MAX_STARTUP = 20.0      # real seconds for the child to start and collect the grader
CHANNEL_LIMIT = 1024 ** 2  # bytes of verdicts the parent accepts from one child
LINE_LIMIT = 64 * 1024
PR_SET_CHILD_SUBREAPER = 36


class RunStatus(StrEnum):
    """How one grading process ended, as observed from outside."""

    OK = "ok"            # it reported the end of its run
    TIMEOUT = "delai"    # a wall clock ran out: it was killed
    SIGNAL = "signal"    # it died of a signal before its end
    EXIT = "sortie"      # it exited before its end
    CHANNEL = "canal"    # it wrote what the channel refuses (too much, unreadable, too long a line)


@dataclass
class SandboxReport:
    """What one child run produced, as observed from outside."""

    resultats: dict[str, tuple[bool, str]] = field(default_factory=dict)
    starts: list[str] = field(default_factory=list)
    fin: bool = False
    statut: RunStatus = RunStatus.OK
    detail: str = ""
    incidents: list[Incident] = field(default_factory=list)  # reported by checks
    duree: float = 0.0

    @property
    def running(self) -> str | None:
        """The check that had started without a verdict when the child stopped."""
        for v in reversed(self.starts):
            if v not in self.resultats:
                return v
        return None


def become_reaper() -> bool:
    """Make orphans of our children ours (Linux): a setsid() escapee can then still be killed and reaped."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


@dataclass(frozen=True)
class Reaper:
    """Whether this process reaps orphans, and the children it had before: the caller's, never ours to kill."""

    active: bool
    spared: frozenset[int] = frozenset()


def clean(pid: int, reaper: Reaper) -> None:
    """Kill the child's process group, and (as subreaper) any descendant that left it."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if not reaper.active:
        return
    for _ in range(50):
        orphans = children() - {pid} - reaper.spared
        if not orphans:
            return
        kill_tree(orphans)


def default_mode() -> str:
    """fork when this process is single-threaded (fast: pytest is already imported), else spawn."""
    return "fork" if threading.active_count() == 1 and hasattr(os, "fork") else "spawn"


def run_sandboxed(request: GradingRequest, timeouts: dict[str, float], task_of: dict[str, str],
           mode: str | None = None, total_deadline: float | None = None) -> SandboxReport:
    """Run one grading process on ``demande``; ``delais`` maps task -> real seconds, started at its first
    check; ``echeance_totale`` (time.monotonic) ends the run whatever it reports."""
    mode = mode or default_mode()
    # The grading process's scratch folder belongs to this side: removed here even when that process is killed.
    folder = tempfile.mkdtemp(prefix="correcteur-")
    request = replace(request, workdir=folder)
    reading, ecriture = os.pipe()
    # Nobody reads what the child prints outside a check (inside one, the harness keeps a bounded copy).
    output = open(os.devnull, "wb")
    debut = time.monotonic()
    if mode == "fork":
        # Imported once here, not in every child: pytest's import costs ~0.2 s.
        import pytest  # noqa: F401
        import pytest_timeout  # noqa: F401

        from . import plugin  # noqa: F401
        reaper = Reaper(become_reaper(), frozenset(children()))
        # SIGTERM (a batch worker being stopped) is held during the fork: its handler raises, and raised inside
        # an at-fork hook (logging's lock release) it is only printed as "Exception ignored" and lost.
        masque = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        pid = -1
        try:
            pid = os.fork()
        finally:
            if pid != 0:
                signal.pthread_sigmask(signal.SIG_SETMASK, masque)
        if pid == 0:  # the child: never returns
            try:
                signal.pthread_sigmask(signal.SIG_SETMASK, masque)
                os.close(reading)
                os.setsid()
                null = os.open(os.devnull, os.O_RDONLY)
                os.dup2(null, 0)
                os.dup2(output.fileno(), 1)
                os.dup2(output.fileno(), 2)
                from .child import execute_child
                execute_child(request, ecriture)
            finally:
                os._exit(70)
        proc = None
    else:
        reaper = Reaper(False)
        proc = subprocess.Popen([sys.executable, "-m", "autograder.child", str(ecriture)],
                                stdin=subprocess.PIPE, stdout=output, stderr=output,
                                pass_fds=(ecriture,),
                                start_new_session=True, close_fds=True)
        pid = proc.pid
        try:
            proc.stdin.write(request.to_json().encode("utf-8"))
            proc.stdin.close()
        except BrokenPipeError:
            pass
    os.close(ecriture)
    report = SandboxReport()
    try:
        _read(reading, report, timeouts, task_of, debut, total_deadline)
    finally:
        os.close(reading)
        if report.statut is RunStatus.TIMEOUT:
            clean(pid, reaper)
        statut = _wait(pid, proc, reaper)
        clean(pid, reaper)
        report.duree = time.monotonic() - debut
        if report.statut is RunStatus.OK and not report.fin:
            if statut < 0:
                report.statut, report.detail = RunStatus.SIGNAL, signal.Signals(-statut).name
            else:
                report.statut, report.detail = RunStatus.EXIT, str(statut)
        output.close()
        shutil.rmtree(folder, ignore_errors=True)
    return report


MARGIN_TASK = 5.0  # real seconds beyond a task's limit before the grading process itself is stopped
END_MAX = 3.0  # real seconds a child may take to exit once its channel is closed
def _wait(pid: int, proc: subprocess.Popen | None, reaper: Reaper) -> int:
    """Exit status of the child (negative: signal); killed if it lingers after closing its channel."""
    if proc is not None:
        try:
            return proc.wait(END_MAX)
        except subprocess.TimeoutExpired:
            clean(pid, reaper)
            return proc.wait()
    limit = time.monotonic() + END_MAX
    while True:
        finished, state = os.waitpid(pid, os.WNOHANG)
        if finished:
            break
        if time.monotonic() > limit:
            clean(pid, reaper)
            _, state = os.waitpid(pid, 0)
            break
        time.sleep(0.005)
    if os.WIFSIGNALED(state):
        return -os.WTERMSIG(state)
    return os.WEXITSTATUS(state)


def _read(fd: int, report: SandboxReport, timeouts: dict[str, float], task_of: dict[str, str], debut: float,
          total_deadline: float | None) -> None:
    buffer = b""
    received = 0
    deadline = debut + MAX_STARTUP
    total = total_deadline if total_deadline is not None else float("inf")
    current_task = None
    while True:
        rest = min(deadline, total) - time.monotonic()
        if rest <= 0:
            report.statut = RunStatus.TIMEOUT
            return
        ready, _, _ = select.select([fd], [], [], rest)
        if not ready:
            continue
        piece = os.read(fd, 65536)
        if not piece:
            return
        received += len(piece)
        if received > CHANNEL_LIMIT:
            report.statut, report.detail = RunStatus.CHANNEL, "trop de données"
            return
        buffer += piece
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            try:
                msg = json.loads(line)
            except ValueError:
                report.statut, report.detail = RunStatus.CHANNEL, "message illisible"
                return
            if not isinstance(msg, dict):
                continue
            genre, check = msg.get("type"), msg.get("verification")
            if genre == "debut" and check in task_of:
                report.starts.append(check)
                if task_of[check] != current_task:
                    current_task = task_of[check]
                    deadline = time.monotonic() + timeouts[current_task] + MARGIN_TASK
            elif genre == "resultat" and check in task_of and check not in report.resultats:
                report.resultats[check] = (msg.get("reussi") is True, str(msg.get("message", ""))[:LINE_LIMIT])
            elif genre == "incident" and msg.get("genre") in tuple(Incident):
                if msg["genre"] not in report.incidents:
                    report.incidents.append(Incident(msg["genre"]))
            elif genre == "fin":
                report.fin = True
        if len(buffer) > LINE_LIMIT:
            report.statut, report.detail = RunStatus.CHANNEL, "ligne trop longue"
            return
