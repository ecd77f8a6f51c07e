"""Cooperative stand-ins for threading's locks, conditions, semaphores and events, bound to a run."""
from __future__ import annotations

from typing import Any, Callable

from .hb import acquerir, publier
from .run_context import StandIn

# Every stand-in runs only while its caller holds the turn, so its own state needs no real lock: a switch can
# only happen inside scheduler.point() / scheduler.attendre(). Those calls are the run's sequence points:
# moving, adding or removing one changes the schedule every seed gives, so each stays where it is.


def _delai(timeout: float | None) -> float | None:
    if timeout is None or timeout < 0:
        return None
    return float(timeout)


def _attente(verrou: Any, t: Any, quoi: str) -> str:
    """What ``t`` waits for, naming the lock's holder: the deadlock verdict tells its causes apart by it."""
    proprio = verrou._proprio
    if proprio is t:
        return f"{quoi} qu'il détient déjà (ligne {t.ligne})"
    qui = f" détenu par {proprio.libelle}" if proprio is not None else ""
    return f"{quoi}{qui} (ligne {t.ligne})"


def _noter_preneur(preneurs: list[str], t: Any) -> None:
    if t.libelle not in preneurs:
        preneurs.append(t.libelle)


def _libre(verrou: Any, t: Any, quoi: str) -> Callable[[], bool]:
    """The wait condition of ``t`` on ``verrou``; while the lock is taken it keeps ``t.attente`` naming
    the current holder (the scheduler evaluates every condition right before it declares a deadlock)."""
    def condition() -> bool:
        if verrou._proprio is None:
            return True
        t.attente = _attente(verrou, t, quoi)
        return False
    return condition


class _OwnedLock(StandIn):
    """What Lock and RLock share: an owner task, a vector clock, the labels of the tasks that took it."""

    _quoi = "un verrou"  # what a blocked task waits for, as the deadlock report tells students

    def __init__(self) -> None:
        self._proprio = None
        self._vc: dict[int, int] = {}
        self._preneurs = self._standin_context.lifecycle.nouveau_verrou()

    def _reprise(self, t: Any) -> bool:
        """True when ``t`` may take the lock again without waiting (re-entry); only RLock allows it."""
        return False

    def _prendre(self, t: Any) -> None:
        self._proprio = t

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        o = self._standin_context.scheduler
        o.point()
        t = o.tache_courante()
        if self._reprise(t):
            return True
        if self._proprio is not None:
            if not blocking:
                return False
            if not o.attendre(_libre(self, t, self._quoi), _delai(timeout), _attente(self, t, self._quoi)):
                return False
        self._prendre(t)
        _noter_preneur(self._preneurs, t)
        acquerir(t, self._vc)
        return True

    def _liberer(self, o: Any, t: Any) -> None:
        """Hand the lock back: release edge, no owner, then a sequence point."""
        publier(t, self._vc)
        self._proprio = None
        o.point()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()


class Lock(_OwnedLock):
    """threading.Lock: any task may release it, as with the real one."""

    def release(self) -> None:
        o = self._standin_context.scheduler
        if self._proprio is None:
            o.annuler_si_fini()  # a wait unwound by the end of the run left the lock free
            raise RuntimeError("release unlocked lock")
        self._liberer(o, o.tache_courante())

    def locked(self) -> bool:
        return self._proprio is not None


class RLock(_OwnedLock):
    """threading.RLock: its owner may take it again; only the owner may release it."""

    _quoi = "un verrou réentrant"

    def __init__(self) -> None:
        super().__init__()
        self._niveau = 0

    def _reprise(self, t: Any) -> bool:
        if self._proprio is t:
            self._niveau += 1
            return True
        return False

    def _prendre(self, t: Any) -> None:
        self._proprio, self._niveau = t, 1

    def release(self) -> None:
        o = self._standin_context.scheduler
        t = o.tache_courante()
        if self._proprio is not t:
            o.annuler_si_fini()  # a wait unwound by the end of the run left the lock free
            raise RuntimeError("cannot release un-acquired lock")
        self._niveau -= 1
        if self._niveau == 0:
            self._liberer(o, t)

    def _liberer_tout(self) -> int:
        niveau, self._niveau = self._niveau, 1
        self.release()
        return niveau

    def _reprendre(self, niveau: int) -> None:
        self.acquire()
        self._niveau = niveau


class Condition(StandIn):
    """threading.Condition on a stand-in lock (a new RLock by default)."""

    def __init__(self, lock: Any = None) -> None:
        self._lock = lock if lock is not None else self._standin_context.new(RLock)
        self._attentes: list[list[bool]] = []
        self.acquire = self._lock.acquire
        self.release = self._lock.release

    def __enter__(self) -> bool:
        return self._lock.acquire()

    def __exit__(self, *exc: Any) -> None:
        self._lock.release()

    def wait(self, timeout: float | None = None) -> bool:
        o = self._standin_context.scheduler
        t = o.tache_courante()
        if getattr(self._lock, "_proprio", None) is not t:
            raise RuntimeError("cannot wait on un-acquired lock")
        jeton = [False]
        self._attentes.append(jeton)
        reentrant = isinstance(self._lock, RLock)
        niveau = self._lock._liberer_tout() if reentrant else (self._lock.release() or 1)
        try:
            ok = o.attendre(lambda: jeton[0], _delai(timeout), f"une notification (Condition, ligne {t.ligne})")
        finally:
            if not jeton[0] and jeton in self._attentes:
                self._attentes.remove(jeton)
            if reentrant:
                self._lock._reprendre(niveau)
            else:
                self._lock.acquire()
        return ok

    def wait_for(self, predicate: Callable[[], Any], timeout: float | None = None) -> Any:
        horloge = self._standin_context.clock
        fin = horloge.deadline(timeout)
        resultat = predicate()
        while not resultat:
            reste = horloge.remaining(fin)
            if reste is not None and reste <= 0:
                break
            self.wait(reste)
            resultat = predicate()
        return resultat

    def notify(self, n: int = 1) -> None:
        t = self._standin_context.scheduler.tache_courante()
        if getattr(self._lock, "_proprio", None) is not t:
            raise RuntimeError("cannot notify on un-acquired lock")
        for jeton in self._attentes[:n]:
            jeton[0] = True
        del self._attentes[:n]

    def notify_all(self) -> None:
        self.notify(len(self._attentes))

    notifyAll = notify_all


class Semaphore(StandIn):
    """threading.Semaphore: release never checks a bound."""

    def __init__(self, value: int = 1) -> None:
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        self._valeur = value
        self._vc: dict[int, int] = {}

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        o = self._standin_context.scheduler
        o.point()
        t = o.tache_courante()
        if self._valeur == 0:
            if not blocking:
                return False
            if not o.attendre(lambda: self._valeur > 0, _delai(timeout), f"un sémaphore (ligne {t.ligne})"):
                return False
        self._valeur -= 1
        acquerir(t, self._vc)
        return True

    def release(self, n: int = 1) -> None:
        o = self._standin_context.scheduler
        publier(o.tache_courante(), self._vc)
        self._valeur += n
        o.point()

    __enter__ = acquire

    def __exit__(self, *exc: Any) -> None:
        self.release()


class BoundedSemaphore(Semaphore):
    """threading.BoundedSemaphore: releasing above the initial value raises ValueError."""

    def __init__(self, value: int = 1) -> None:
        super().__init__(value)
        self._initiale = value

    def release(self, n: int = 1) -> None:
        if self._valeur + n > self._initiale:
            raise ValueError("Semaphore released too many times")
        super().release(n)


class Event(StandIn):
    """threading.Event: set() is a release edge, a successful wait() an acquire edge."""

    def __init__(self) -> None:
        self._drapeau = False
        self._vc: dict[int, int] = {}

    def is_set(self) -> bool:
        return self._drapeau

    isSet = is_set

    def set(self) -> None:
        o = self._standin_context.scheduler
        publier(o.tache_courante(), self._vc)
        self._drapeau = True
        o.point()

    def clear(self) -> None:
        self._drapeau = False

    def wait(self, timeout: float | None = None) -> bool:
        o = self._standin_context.scheduler
        o.point()
        t = o.tache_courante()
        ok = o.attendre(lambda: self._drapeau, _delai(timeout), f"un Event (ligne {t.ligne})")
        if ok:
            acquerir(t, self._vc)
        return ok
