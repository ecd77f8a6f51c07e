"""Outside the jail: start a bubblewrap jail for one submission, send it run requests, read its evidence.

The jail (bubblewrap, Debian package ``bubblewrap``) has its own PID, mount, network, IPC and UTS
namespaces; student code runs there as an unprivileged user of its own, sees a private tmpfs scratch
folder, the read-only Python, the public ``autograder`` package and ``cloudpickle``, and nothing of the
course. When the jail's first process ends, the kernel kills everything else in it.
"""
from __future__ import annotations

import functools
import json
import os
import secrets
import select
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from . import bytecode
from .assignment import AssignmentError
from .probes.proofs import InvalidProof, read_message

VARIABLE_NO_JAIL = "AUTOGRADER_SANS_PRISON"  # development only: run student code without the jail
ERROR_NO_BWRAP = ("Cannot grade: the jail tool bubblewrap (bwrap) is missing or cannot start here ({detail}). "
                  "Install it with `apt-get install bubblewrap` (`make demo` does), or, for development only, "
                  f"set {VARIABLE_NO_JAIL}=1 to run student code without a jail.")
WARNING_NO_JAIL = (f"WARNING: {VARIABLE_NO_JAIL}=1: student code runs WITHOUT the jail. Never use this for "
                   "grades that count.")
SIZE_TMP = 64 * 1024 ** 2
SIZE_SHM = 16 * 1024 ** 2
ANSWER_MAX = 5 * 1024 ** 2
MARGIN = 2.0           # real seconds the client waits beyond a request's deadline before killing the jail
UID_BASE = 1_000_000  # root mode: each jail's user is UID_BASE + the grading process's pid (unique while it runs)
PACKAGES_ROOT = "/opt/correcteur"


class JailUnavailable(AssignmentError):
    """The jail cannot start on this machine: grading is refused (instructor-facing, English; exit 2)."""


class JailStatus(StrEnum):
    """The ``statut`` of a jail's answer (jail_server writes these strings), or why no answer came."""

    OK = "ok"
    TIMEOUT = "delai"     # the request ran out of time: the jail is killed
    CRASH = "plantage"    # the jail's worker died, or the jail stopped answering
    CHANNEL = "canal"     # the answer was unreadable, too long or not the worker's own


@dataclass
class JailBroken(Exception):
    """A request got no usable evidence: ``statut`` says why (never OK)."""

    statut: JailStatus
    detail: str = ""
    piles: str = ""


def _package(nom: str) -> Path:
    module = __import__(nom)
    return Path(module.__file__).resolve().parent


def commande(public_files: list[Path]) -> list[str]:
    """The bubblewrap command line that starts a jail running ``autograder.jail_server``."""
    py = Path(os.path.realpath(sys.executable))
    name_prefix = Path(sys.base_prefix).resolve()
    args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--clearenv", "--setenv", "LANG", "C.UTF-8"]
    if os.geteuid() != 0:
        args += ["--unshare-user", "--uid", "65534", "--gid", "65534", "--disable-userns"]
    for d in ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/libx32"):
        if Path(d).exists():
            args += ["--ro-bind", d, d]
    created = {"/", "/usr", "/bin", "/lib", "/lib64", "/lib32", "/libx32"}
    for target_value in (name_prefix, py.parent):
        # Folders bubblewrap would create on the way copy the host's modes (/root is 0700): make them
        # traversable, or the jail user could not start Python again (spawn pools, subprocess).
        for d in reversed(target_value.parents):
            if str(d) not in created and not any(d.is_relative_to(c) for c in ("/usr", "/bin", "/lib")):
                args += ["--perms", "0755", "--dir", str(d)]
                created.add(str(d))
    args += ["--ro-bind", str(name_prefix), str(name_prefix)]
    if not py.is_relative_to(name_prefix):
        args += ["--ro-bind", str(py), str(py)]
    args += ["--perms", "0755", "--dir", str(Path(PACKAGES_ROOT).parent), "--perms", "0755", "--dir", PACKAGES_ROOT]
    for nom in ("autograder", "cloudpickle"):
        args += ["--ro-bind", str(_package(nom)), f"{PACKAGES_ROOT}/{nom}"]
    args += ["--proc", "/proc", "--tmpfs", "/dev"]
    for dev in ("null", "zero", "urandom"):
        args += ["--dev-bind", f"/dev/{dev}", f"/dev/{dev}"]
    args += ["--perms", "1777", "--size", str(SIZE_SHM), "--tmpfs", "/dev/shm",
             "--perms", "1777", "--size", str(SIZE_TMP), "--tmpfs", "/tmp"]
    for f in public_files:  # modules shipped beside the release notebook (public)
        args += ["--ro-bind", str(f), f"/tmp/{f.name}"]
    args += ["--chdir", "/tmp", "--"]
    if os.geteuid() == 0:
        # bwrap as root keeps the namespaces' setup privileged; the student's code then runs as a user of
        # its own with no capability, so process limits bind and classmates' jails are other users.
        uid = str(UID_BASE + os.getpid())
        args += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                 "--bounding-set=-all", "--inh-caps=-all"]
    return args + _python([PACKAGES_ROOT], py) + ["--espace-pid-propre"]


def _python(roots: list[str], py: Path) -> list[str]:
    primer = f"import sys; sys.path[:0] = {roots!r}; from autograder.jail_server import main; main()"
    return [str(py), "-S", "-E", "-s", "-B", "-c", primer]


def command_without_jail() -> list[str]:
    """Development mode: the same server as a plain child process (no namespaces, no isolation)."""
    return _python([str(_package(nom).parent) for nom in ("autograder", "cloudpickle")], Path(sys.executable))


def without_jail() -> bool:
    return os.environ.get(VARIABLE_NO_JAIL) == "1"


def check_jail() -> None:
    """Raise PrisonIndisponible unless a jail starts here (or the development flag is set)."""
    bytecode.package()  # the jail reads this package read-only and with -B: it cannot cache it itself
    if without_jail():
        return
    _try_jail(os.environ.get("PATH", ""), os.geteuid())


@functools.lru_cache(maxsize=4)
def _try_jail(path: str, euid: int) -> None:
    """Start one throwaway jail (~0.1 s); remembered per PATH and user, as the answer cannot change in a run
    (a failure raises, and is not remembered)."""
    if shutil.which("bwrap", path=path) is None:
        raise JailUnavailable(ERROR_NO_BWRAP.format(detail="bwrap not found on PATH"))
    args = commande([])
    i = args.index("-c")
    attempt = args[:i + 1] + ["import os; assert not os.listdir('/tmp')"]
    try:
        r = subprocess.run(attempt, capture_output=True, timeout=20, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise JailUnavailable(ERROR_NO_BWRAP.format(detail=type(e).__name__)) from None
    if r.returncode != 0:
        detail = r.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {r.returncode}"]
        raise JailUnavailable(ERROR_NO_BWRAP.format(detail=detail[0][:200]))


@dataclass
class Jail:
    """One jail, started at the first request and restarted after a request that broke it."""

    public_files: list[Path] = field(default_factory=list)
    _proc: subprocess.Popen | None = None
    _buffer: bytes = b""

    def _start(self) -> subprocess.Popen:
        args = command_without_jail() if without_jail() else commande(self.public_files)
        cwd = None
        if without_jail():
            import tempfile
            cwd = tempfile.mkdtemp(prefix="prison-dev-")
            for f in self.public_files:
                shutil.copy(f, cwd)
        self._buffer = b""
        return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                start_new_session=True, close_fds=True, cwd=cwd)

    def start(self) -> None:
        """Start the jail now (it imports and walks its trusted code while the caller does other work)."""
        if self._proc is None or self._proc.poll() is not None:
            self.close_all()
            self._proc = self._start()

    def ask(self, request: dict[str, Any], delai: float) -> dict[str, Any]:
        """Send one request and return its evidence; PrisonHS when none usable came back in time."""
        self.start()
        proc = self._proc
        # A fresh secret per request: evidence without it was not written by the worker's own code.
        jeton = secrets.token_hex(16)
        line = json.dumps({**request, "delai": delai, "jeton": jeton}).encode("utf-8") + b"\n"
        try:
            proc.stdin.write(line)
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self.close_all()
            raise JailBroken(JailStatus.CRASH, "la prison ne répond plus") from None
        try:
            answer = self._read(proc, time.monotonic() + delai + MARGIN + 1.0)
        except JailBroken:
            self.close_all()
            raise
        statut = answer.get("statut")
        if statut == JailStatus.OK and type(answer.get("preuve")) is str:
            try:
                proof = read_message(answer["preuve"].strip().encode("utf-8"))
            except InvalidProof as e:
                raise JailBroken(JailStatus.CHANNEL, str(e)) from None
            if proof.pop("jeton", None) != jeton:
                raise JailBroken(JailStatus.CHANNEL, "preuve sans le jeton de la demande")
            return proof
        if statut == JailStatus.TIMEOUT:
            self.close_all()
            raise JailBroken(JailStatus.TIMEOUT, piles=str(answer.get("piles", ""))[:64 * 1024])
        if statut == JailStatus.CRASH:
            raise JailBroken(JailStatus.CRASH, str(answer.get("detail", ""))[:200])
        self.close_all()
        raise JailBroken(JailStatus.CHANNEL, "réponse mal formée")

    def _read(self, proc: subprocess.Popen, deadline: float) -> dict[str, Any]:
        fd = proc.stdout.fileno()
        while b"\n" not in self._buffer:
            rest = deadline - time.monotonic()
            if rest <= 0:
                raise JailBroken(JailStatus.TIMEOUT)
            ready, _, _ = select.select([fd], [], [], rest)
            if not ready:
                continue
            m = os.read(fd, 1 << 20)
            if not m:
                raise JailBroken(JailStatus.CRASH, "la prison s'est arrêtée")
            self._buffer += m
            if len(self._buffer) > ANSWER_MAX:
                raise JailBroken(JailStatus.CHANNEL, "réponse trop longue")
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            return read_message(line)
        except InvalidProof as e:
            raise JailBroken(JailStatus.CHANNEL, str(e)) from None

    def close_all(self) -> None:
        """Kill the jail: its first process dies, and with it every process inside."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for send in (os.killpg, os.kill):
            try:
                send(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for f in (proc.stdin, proc.stdout):
            try:
                f.close()
            except OSError:
                pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
