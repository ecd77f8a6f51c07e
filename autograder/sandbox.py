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

from .processus import enfants, tuer
from .request import GradingRequest
from .results import Incident

DEMARRAGE_MAX = 20.0      # real seconds for the child to start and collect the grader
LIMITE_CANAL = 1024 ** 2  # bytes of verdicts the parent accepts from one child
LIMITE_LIGNE = 64 * 1024
PR_SET_CHILD_SUBREAPER = 36


class RunStatus(StrEnum):
    """How one grading process ended, as observed from outside."""

    OK = "ok"            # it reported the end of its run
    TIMEOUT = "delai"    # a wall clock ran out: it was killed
    SIGNAL = "signal"    # it died of a signal before its end
    EXIT = "sortie"      # it exited before its end
    CHANNEL = "canal"    # it wrote what the channel refuses (too much, unreadable, too long a line)


@dataclass
class Rapport:
    """What one child run produced, as observed from outside."""

    resultats: dict[str, tuple[bool, str]] = field(default_factory=dict)
    debuts: list[str] = field(default_factory=list)
    fin: bool = False
    statut: RunStatus = RunStatus.OK
    detail: str = ""
    incidents: list[Incident] = field(default_factory=list)  # reported by checks
    duree: float = 0.0

    @property
    def en_cours(self) -> str | None:
        """The check that had started without a verdict when the child stopped."""
        for v in reversed(self.debuts):
            if v not in self.resultats:
                return v
        return None


def devenir_faucheur() -> bool:
    """Make orphans of our children ours (Linux): a setsid() escapee can then still be killed and reaped."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


@dataclass(frozen=True)
class Faucheur:
    """Whether this process reaps orphans, and the children it had before: the caller's, never ours to kill."""

    actif: bool
    epargnes: frozenset[int] = frozenset()


def nettoyer(pid: int, faucheur: Faucheur) -> None:
    """Kill the child's process group, and (as subreaper) any descendant that left it."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if not faucheur.actif:
        return
    for _ in range(50):
        orphelins = enfants() - {pid} - faucheur.epargnes
        if not orphelins:
            return
        tuer(orphelins)


def mode_par_defaut() -> str:
    """fork when this process is single-threaded (fast: pytest is already imported), else spawn."""
    return "fork" if threading.active_count() == 1 and hasattr(os, "fork") else "spawn"


def lancer(demande: GradingRequest, delais: dict[str, float], tache_de: dict[str, str],
           mode: str | None = None, echeance_totale: float | None = None) -> Rapport:
    """Run one grading process on ``demande``; ``delais`` maps task -> real seconds, started at its first
    check; ``echeance_totale`` (time.monotonic) ends the run whatever it reports."""
    mode = mode or mode_par_defaut()
    # The grading process's scratch folder belongs to this side: removed here even when that process is killed.
    dossier = tempfile.mkdtemp(prefix="correcteur-")
    demande = replace(demande, workdir=dossier)
    lecture, ecriture = os.pipe()
    # Nobody reads what the child prints outside a check (inside one, the harness keeps a bounded copy).
    sortie = open(os.devnull, "wb")
    debut = time.monotonic()
    if mode == "fork":
        # Imported once here, not in every child: pytest's import costs ~0.2 s.
        import pytest  # noqa: F401

        from . import plugin  # noqa: F401
        faucheur = Faucheur(devenir_faucheur(), frozenset(enfants()))
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
                os.close(lecture)
                os.setsid()
                nul = os.open(os.devnull, os.O_RDONLY)
                os.dup2(nul, 0)
                os.dup2(sortie.fileno(), 1)
                os.dup2(sortie.fileno(), 2)
                from .child import executer_enfant
                executer_enfant(demande, ecriture)
            finally:
                os._exit(70)
        proc = None
    else:
        faucheur = Faucheur(False)
        proc = subprocess.Popen([sys.executable, "-m", "autograder.child", str(ecriture)],
                                stdin=subprocess.PIPE, stdout=sortie, stderr=sortie,
                                pass_fds=(ecriture,),
                                start_new_session=True, close_fds=True)
        pid = proc.pid
        try:
            proc.stdin.write(demande.to_json().encode("utf-8"))
            proc.stdin.close()
        except BrokenPipeError:
            pass
    os.close(ecriture)
    rapport = Rapport()
    try:
        _lire(lecture, rapport, delais, tache_de, debut, echeance_totale)
    finally:
        os.close(lecture)
        if rapport.statut is RunStatus.TIMEOUT:
            nettoyer(pid, faucheur)
        statut = _attendre(pid, proc, faucheur)
        nettoyer(pid, faucheur)
        rapport.duree = time.monotonic() - debut
        if rapport.statut is RunStatus.OK and not rapport.fin:
            if statut < 0:
                rapport.statut, rapport.detail = RunStatus.SIGNAL, signal.Signals(-statut).name
            else:
                rapport.statut, rapport.detail = RunStatus.EXIT, str(statut)
        sortie.close()
        shutil.rmtree(dossier, ignore_errors=True)
    return rapport


MARGE_TACHE = 5.0  # real seconds beyond a task's limit before the grading process itself is stopped
FIN_MAX = 3.0  # real seconds a child may take to exit once its channel is closed
def _attendre(pid: int, proc: subprocess.Popen | None, faucheur: Faucheur) -> int:
    """Exit status of the child (negative: signal); killed if it lingers after closing its channel."""
    if proc is not None:
        try:
            return proc.wait(FIN_MAX)
        except subprocess.TimeoutExpired:
            nettoyer(pid, faucheur)
            return proc.wait()
    limite = time.monotonic() + FIN_MAX
    while True:
        fini, etat = os.waitpid(pid, os.WNOHANG)
        if fini:
            break
        if time.monotonic() > limite:
            nettoyer(pid, faucheur)
            _, etat = os.waitpid(pid, 0)
            break
        time.sleep(0.005)
    if os.WIFSIGNALED(etat):
        return -os.WTERMSIG(etat)
    return os.WEXITSTATUS(etat)


def _lire(fd: int, rapport: Rapport, delais: dict[str, float], tache_de: dict[str, str], debut: float,
          echeance_totale: float | None) -> None:
    tampon = b""
    recu = 0
    echeance = debut + DEMARRAGE_MAX
    totale = echeance_totale if echeance_totale is not None else float("inf")
    tache_courante = None
    while True:
        reste = min(echeance, totale) - time.monotonic()
        if reste <= 0:
            rapport.statut = RunStatus.TIMEOUT
            return
        prets, _, _ = select.select([fd], [], [], reste)
        if not prets:
            continue
        morceau = os.read(fd, 65536)
        if not morceau:
            return
        recu += len(morceau)
        if recu > LIMITE_CANAL:
            rapport.statut, rapport.detail = RunStatus.CHANNEL, "trop de données"
            return
        tampon += morceau
        while b"\n" in tampon:
            ligne, tampon = tampon.split(b"\n", 1)
            try:
                msg = json.loads(ligne)
            except ValueError:
                rapport.statut, rapport.detail = RunStatus.CHANNEL, "message illisible"
                return
            if not isinstance(msg, dict):
                continue
            genre, verif = msg.get("type"), msg.get("verification")
            if genre == "debut" and verif in tache_de:
                rapport.debuts.append(verif)
                if tache_de[verif] != tache_courante:
                    tache_courante = tache_de[verif]
                    echeance = time.monotonic() + delais[tache_courante] + MARGE_TACHE
            elif genre == "resultat" and verif in tache_de and verif not in rapport.resultats:
                rapport.resultats[verif] = (msg.get("reussi") is True, str(msg.get("message", ""))[:LIMITE_LIGNE])
            elif genre == "incident" and msg.get("genre") in tuple(Incident):
                if msg["genre"] not in rapport.incidents:
                    rapport.incidents.append(Incident(msg["genre"]))
            elif genre == "fin":
                rapport.fin = True
        if len(tampon) > LIMITE_LIGNE:
            rapport.statut, rapport.detail = RunStatus.CHANNEL, "ligne trop longue"
            return
