"""Cooperative stand-ins for threading's locks, conditions, semaphores and events, bound to a run."""
from __future__ import annotations

from typing import Any, Callable

from .hb import acquire_clock, publish
from .run_context import StandIn

# Every stand-in runs only while its caller holds the turn, so its own state needs no real lock: a switch can
# only happen inside scheduler.point() / scheduler.attendre(). Those calls are the run's sequence points:
# moving, adding or removing one changes the schedule every seed gives, so each stays where it is.


def _timeout(timeout: float | None) -> float | None:
    if timeout is None or timeout < 0:
        return None
    return float(timeout)


def _wait(verrou: Any, t: Any, what: str) -> str:
    """What ``t`` waits for, naming the lock's holder: the deadlock verdict tells its causes apart by it."""
    owner = verrou._owner
    if owner is t:
        return f"{what} qu'il détient déjà (ligne {t.line})"
    who = f" détenu par {owner.label}" if owner is not None else ""
    return f"{what}{who} (ligne {t.line})"


def _grade_taker(takers: list[str], t: Any) -> None:
    if t.label not in takers:
        takers.append(t.label)


def _free(verrou: Any, t: Any, what: str) -> Callable[[], bool]:
    """The wait condition of ``t`` on ``verrou``; while the lock is taken it keeps ``t.attente`` naming
    the current holder (the scheduler evaluates every condition right before it declares a deadlock)."""
    def condition() -> bool:
        if verrou._owner is None:
            return True
        t.waiting_on = _wait(verrou, t, what)
        return False
    return condition


class _OwnedLock(StandIn):
    """What Lock and RLock share: an owner task, a vector clock, the labels of the tasks that took it."""

    _what = "un verrou"  # what a blocked task waits for, as the deadlock report tells students

    def __init__(self) -> None:
        self._owner = None
        self._vc: dict[int, int] = {}
        self._takers = self._standin_context.lifecycle.new_lock()

    def _resumption(self, t: Any) -> bool:
        """True when ``t`` may take the lock again without waiting (re-entry); only RLock allows it."""
        return False

    def _take(self, t: Any) -> None:
        self._owner = t

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        o = self._standin_context.scheduler
        o.point()
        t = o.current_task()
        if self._resumption(t):
            return True
        if self._owner is not None:
            if not blocking:
                return False
            if not o.attendre(_free(self, t, self._what), _timeout(timeout), _wait(self, t, self._what)):
                return False
        self._take(t)
        _grade_taker(self._takers, t)
        acquire_clock(t, self._vc)
        return True

    def _release(self, o: Any, t: Any) -> None:
        """Hand the lock back: release edge, no owner, then a sequence point."""
        publish(t, self._vc)
        self._owner = None
        o.point()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: Any) -> None:
        self.release()


class Lock(_OwnedLock):
    """threading.Lock: any task may release it, as with the real one."""

    def release(self) -> None:
        o = self._standin_context.scheduler
        if self._owner is None:
            o.cancel_if_finished()  # a wait unwound by the end of the run left the lock free
            raise RuntimeError("release unlocked lock")
        self._release(o, o.current_task())

    def locked(self) -> bool:
        return self._owner is not None


class RLock(_OwnedLock):
    """threading.RLock: its owner may take it again; only the owner may release it."""

    _what = "un verrou réentrant"

    def __init__(self) -> None:
        super().__init__()
        self._level = 0

    def _resumption(self, t: Any) -> bool:
        if self._owner is t:
            self._level += 1
            return True
        return False

    def _take(self, t: Any) -> None:
        self._owner, self._level = t, 1

    def release(self) -> None:
        o = self._standin_context.scheduler
        t = o.current_task()
        if self._owner is not t:
            o.cancel_if_finished()  # a wait unwound by the end of the run left the lock free
            raise RuntimeError("cannot release un-acquired lock")
        self._level -= 1
        if self._level == 0:
            self._release(o, t)

    def _release_all(self) -> int:
        level, self._level = self._level, 1
        self.release()
        return level

    def _retake(self, level: int) -> None:
        self.acquire()
        self._level = level


class Condition(StandIn):
    """threading.Condition on a stand-in lock (a new RLock by default)."""

    def __init__(self, lock: Any = None) -> None:
        self._lock = lock if lock is not None else self._standin_context.new(RLock)
        self._expectations: list[list[bool]] = []
        self.acquire = self._lock.acquire
        self.release = self._lock.release

    def __enter__(self) -> bool:
        return self._lock.acquire()

    def __exit__(self, *exc: Any) -> None:
        self._lock.release()

    def wait(self, timeout: float | None = None) -> bool:
        o = self._standin_context.scheduler
        t = o.current_task()
        if getattr(self._lock, "_owner", None) is not t:
            raise RuntimeError("cannot wait on un-acquired lock")
        jeton = [False]
        self._expectations.append(jeton)
        reentrant = isinstance(self._lock, RLock)
        level = self._lock._release_all() if reentrant else (self._lock.release() or 1)
        try:
            ok = o.attendre(lambda: jeton[0], _timeout(timeout), f"une notification (Condition, ligne {t.line})")
        finally:
            if not jeton[0] and jeton in self._expectations:
                self._expectations.remove(jeton)
            if reentrant:
                self._lock._retake(level)
            else:
                self._lock.acquire()
        return ok

    def wait_for(self, predicate: Callable[[], Any], timeout: float | None = None) -> Any:
        horloge = self._standin_context.clock
        fin = horloge.deadline(timeout)
        resultat = predicate()
        while not resultat:
            rest = horloge.remaining(fin)
            if rest is not None and rest <= 0:
                break
            self.wait(rest)
            resultat = predicate()
        return resultat

    def notify(self, n: int = 1) -> None:
        t = self._standin_context.scheduler.current_task()
        if getattr(self._lock, "_owner", None) is not t:
            raise RuntimeError("cannot notify on un-acquired lock")
        for jeton in self._expectations[:n]:
            jeton[0] = True
        del self._expectations[:n]

    def notify_all(self) -> None:
        self.notify(len(self._expectations))

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
        t = o.current_task()
        if self._valeur == 0:
            if not blocking:
                return False
            if not o.attendre(lambda: self._valeur > 0, _timeout(timeout), f"un sémaphore (ligne {t.line})"):
                return False
        self._valeur -= 1
        acquire_clock(t, self._vc)
        return True

    def release(self, n: int = 1) -> None:
        o = self._standin_context.scheduler
        publish(o.current_task(), self._vc)
        self._valeur += n
        o.point()

    __enter__ = acquire

    def __exit__(self, *exc: Any) -> None:
        self.release()


class BoundedSemaphore(Semaphore):
    """threading.BoundedSemaphore: releasing above the initial value raises ValueError."""

    def __init__(self, value: int = 1) -> None:
        super().__init__(value)
        self._initial = value

    def release(self, n: int = 1) -> None:
        if self._valeur + n > self._initial:
            raise ValueError("Semaphore released too many times")
        super().release(n)


class Event(StandIn):
    """threading.Event: set() is a release edge, a successful wait() an acquire edge."""

    def __init__(self) -> None:
        self._flag = False
        self._vc: dict[int, int] = {}

    def is_set(self) -> bool:
        return self._flag

    isSet = is_set

    def set(self) -> None:
        o = self._standin_context.scheduler
        publish(o.current_task(), self._vc)
        self._flag = True
        o.point()

    def clear(self) -> None:
        self._flag = False

    def wait(self, timeout: float | None = None) -> bool:
        o = self._standin_context.scheduler
        o.point()
        t = o.current_task()
        ok = o.attendre(lambda: self._flag, _timeout(timeout), f"un Event (ligne {t.line})")
        if ok:
            acquire_clock(t, self._vc)
        return ok
