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
from .assignment import ErreurDevoir
from .probes.preuves import PreuveInvalide, lire_message

VARIABLE_SANS_PRISON = "AUTOGRADER_SANS_PRISON"  # development only: run student code without the jail
ERREUR_SANS_BWRAP = ("Cannot grade: the jail tool bubblewrap (bwrap) is missing or cannot start here ({detail}). "
                  "Install it with `apt-get install bubblewrap` (`make demo` does), or, for development only, "
                  f"set {VARIABLE_SANS_PRISON}=1 to run student code without a jail.")
AVERTISSEMENT_SANS_PRISON = (f"WARNING: {VARIABLE_SANS_PRISON}=1: student code runs WITHOUT the jail. Never use this for "
                   "grades that count.")
TAILLE_TMP = 64 * 1024 ** 2
TAILLE_SHM = 16 * 1024 ** 2
REPONSE_MAX = 5 * 1024 ** 2
MARGE = 2.0           # real seconds the client waits beyond a request's deadline before killing the jail
UID_BASE = 1_000_000  # root mode: each jail's user is UID_BASE + the grading process's pid (unique while it runs)
RACINE_PAQUETS = "/opt/correcteur"


class PrisonIndisponible(ErreurDevoir):
    """The jail cannot start on this machine: grading is refused (instructor-facing, English; exit 2)."""


class JailStatus(StrEnum):
    """The ``statut`` of a jail's answer (jail_server writes these strings), or why no answer came."""

    OK = "ok"
    TIMEOUT = "delai"     # the request ran out of time: the jail is killed
    CRASH = "plantage"    # the jail's worker died, or the jail stopped answering
    CHANNEL = "canal"     # the answer was unreadable, too long or not the worker's own


@dataclass
class PrisonHS(Exception):
    """A request got no usable evidence: ``statut`` says why (never OK)."""

    statut: JailStatus
    detail: str = ""
    piles: str = ""


def _paquet(nom: str) -> Path:
    module = __import__(nom)
    return Path(module.__file__).resolve().parent


def commande(fichiers_publics: list[Path]) -> list[str]:
    """The bubblewrap command line that starts a jail running ``autograder.jail_server``."""
    py = Path(os.path.realpath(sys.executable))
    prefixe = Path(sys.base_prefix).resolve()
    args = ["bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--clearenv", "--setenv", "LANG", "C.UTF-8"]
    if os.geteuid() != 0:
        args += ["--unshare-user", "--uid", "65534", "--gid", "65534", "--disable-userns"]
    for d in ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/libx32"):
        if Path(d).exists():
            args += ["--ro-bind", d, d]
    crees = {"/", "/usr", "/bin", "/lib", "/lib64", "/lib32", "/libx32"}
    for cible in (prefixe, py.parent):
        # Folders bubblewrap would create on the way copy the host's modes (/root is 0700): make them
        # traversable, or the jail user could not start Python again (spawn pools, subprocess).
        for d in reversed(cible.parents):
            if str(d) not in crees and not any(d.is_relative_to(c) for c in ("/usr", "/bin", "/lib")):
                args += ["--perms", "0755", "--dir", str(d)]
                crees.add(str(d))
    args += ["--ro-bind", str(prefixe), str(prefixe)]
    if not py.is_relative_to(prefixe):
        args += ["--ro-bind", str(py), str(py)]
    args += ["--perms", "0755", "--dir", str(Path(RACINE_PAQUETS).parent), "--perms", "0755", "--dir", RACINE_PAQUETS]
    for nom in ("autograder", "cloudpickle"):
        args += ["--ro-bind", str(_paquet(nom)), f"{RACINE_PAQUETS}/{nom}"]
    args += ["--proc", "/proc", "--tmpfs", "/dev"]
    for dev in ("null", "zero", "urandom"):
        args += ["--dev-bind", f"/dev/{dev}", f"/dev/{dev}"]
    args += ["--perms", "1777", "--size", str(TAILLE_SHM), "--tmpfs", "/dev/shm",
             "--perms", "1777", "--size", str(TAILLE_TMP), "--tmpfs", "/tmp"]
    for f in fichiers_publics:  # modules shipped beside the release notebook (public)
        args += ["--ro-bind", str(f), f"/tmp/{f.name}"]
    args += ["--chdir", "/tmp", "--"]
    if os.geteuid() == 0:
        # bwrap as root keeps the namespaces' setup privileged; the student's code then runs as a user of
        # its own with no capability, so process limits bind and classmates' jails are other users.
        uid = str(UID_BASE + os.getpid())
        args += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--no-new-privs",
                 "--bounding-set=-all", "--inh-caps=-all"]
    return args + _python([RACINE_PAQUETS], py) + ["--espace-pid-propre"]


def _python(racines: list[str], py: Path) -> list[str]:
    amorce = f"import sys; sys.path[:0] = {racines!r}; from autograder.jail_server import main; main()"
    return [str(py), "-S", "-E", "-s", "-B", "-c", amorce]


def commande_sans_prison() -> list[str]:
    """Development mode: the same server as a plain child process (no namespaces, no isolation)."""
    return _python([str(_paquet(nom).parent) for nom in ("autograder", "cloudpickle")], Path(sys.executable))


def sans_prison() -> bool:
    return os.environ.get(VARIABLE_SANS_PRISON) == "1"


def verifier_prison() -> None:
    """Raise PrisonIndisponible unless a jail starts here (or the development flag is set)."""
    bytecode.package()  # the jail reads this package read-only and with -B: it cannot cache it itself
    if sans_prison():
        return
    _essayer_prison(os.environ.get("PATH", ""), os.geteuid())


@functools.lru_cache(maxsize=4)
def _essayer_prison(path: str, euid: int) -> None:
    """Start one throwaway jail (~0.1 s); remembered per PATH and user, as the answer cannot change in a run
    (a failure raises, and is not remembered)."""
    if shutil.which("bwrap", path=path) is None:
        raise PrisonIndisponible(ERREUR_SANS_BWRAP.format(detail="bwrap not found on PATH"))
    args = commande([])
    i = args.index("-c")
    essai = args[:i + 1] + ["import os; assert not os.listdir('/tmp')"]
    try:
        r = subprocess.run(essai, capture_output=True, timeout=20, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise PrisonIndisponible(ERREUR_SANS_BWRAP.format(detail=type(e).__name__)) from None
    if r.returncode != 0:
        detail = r.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {r.returncode}"]
        raise PrisonIndisponible(ERREUR_SANS_BWRAP.format(detail=detail[0][:200]))


@dataclass
class Prison:
    """One jail, started at the first request and restarted after a request that broke it."""

    fichiers_publics: list[Path] = field(default_factory=list)
    _proc: subprocess.Popen | None = None
    _tampon: bytes = b""

    def _demarrer(self) -> subprocess.Popen:
        args = commande_sans_prison() if sans_prison() else commande(self.fichiers_publics)
        cwd = None
        if sans_prison():
            import tempfile
            cwd = tempfile.mkdtemp(prefix="prison-dev-")
            for f in self.fichiers_publics:
                shutil.copy(f, cwd)
        self._tampon = b""
        return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                start_new_session=True, close_fds=True, cwd=cwd)

    def demarrer(self) -> None:
        """Start the jail now (it imports and walks its trusted code while the caller does other work)."""
        if self._proc is None or self._proc.poll() is not None:
            self.fermer()
            self._proc = self._demarrer()

    def demander(self, requete: dict[str, Any], delai: float) -> dict[str, Any]:
        """Send one request and return its evidence; PrisonHS when none usable came back in time."""
        self.demarrer()
        proc = self._proc
        # A fresh secret per request: evidence without it was not written by the worker's own code.
        jeton = secrets.token_hex(16)
        ligne = json.dumps({**requete, "delai": delai, "jeton": jeton}).encode("utf-8") + b"\n"
        try:
            proc.stdin.write(ligne)
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self.fermer()
            raise PrisonHS(JailStatus.CRASH, "la prison ne répond plus") from None
        try:
            reponse = self._lire(proc, time.monotonic() + delai + MARGE + 1.0)
        except PrisonHS:
            self.fermer()
            raise
        statut = reponse.get("statut")
        if statut == JailStatus.OK and type(reponse.get("preuve")) is str:
            try:
                preuve = lire_message(reponse["preuve"].strip().encode("utf-8"))
            except PreuveInvalide as e:
                raise PrisonHS(JailStatus.CHANNEL, str(e)) from None
            if preuve.pop("jeton", None) != jeton:
                raise PrisonHS(JailStatus.CHANNEL, "preuve sans le jeton de la demande")
            return preuve
        if statut == JailStatus.TIMEOUT:
            self.fermer()
            raise PrisonHS(JailStatus.TIMEOUT, piles=str(reponse.get("piles", ""))[:64 * 1024])
        if statut == JailStatus.CRASH:
            raise PrisonHS(JailStatus.CRASH, str(reponse.get("detail", ""))[:200])
        self.fermer()
        raise PrisonHS(JailStatus.CHANNEL, "réponse mal formée")

    def _lire(self, proc: subprocess.Popen, echeance: float) -> dict[str, Any]:
        fd = proc.stdout.fileno()
        while b"\n" not in self._tampon:
            reste = echeance - time.monotonic()
            if reste <= 0:
                raise PrisonHS(JailStatus.TIMEOUT)
            prets, _, _ = select.select([fd], [], [], reste)
            if not prets:
                continue
            m = os.read(fd, 1 << 20)
            if not m:
                raise PrisonHS(JailStatus.CRASH, "la prison s'est arrêtée")
            self._tampon += m
            if len(self._tampon) > REPONSE_MAX:
                raise PrisonHS(JailStatus.CHANNEL, "réponse trop longue")
        ligne, self._tampon = self._tampon.split(b"\n", 1)
        try:
            return lire_message(ligne)
        except PreuveInvalide as e:
            raise PrisonHS(JailStatus.CHANNEL, str(e)) from None

    def fermer(self) -> None:
        """Kill the jail: its first process dies, and with it every process inside."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for envoyer in (os.killpg, os.kill):
            try:
                envoyer(proc.pid, signal.SIGKILL)
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
