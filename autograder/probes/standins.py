"""Cooperative stand-ins for threading's locks, conditions, events, semaphores and threads."""
from __future__ import annotations

import threading as _rt
from typing import Any, Callable

from .cycle import Cycle
from .hb import Observateur, acquerir, publier
from .scheduler import Ordonnanceur

# Every stand-in runs only while its caller holds the turn, so its own state
# needs no real lock: a switch can only happen inside o.point() / o.attendre().


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


def fabriquer_threading(o: Ordonnanceur, obs: Observateur, cycle: Cycle) -> dict[str, Any]:
    """The names of a ``threading`` module whose primitives yield to ``o`` instead of blocking."""
    compteur_noms = [0]

    class Lock:
        def __init__(self) -> None:
            self._proprio = None
            self._vc: dict[int, int] = {}
            self._preneurs = cycle.nouveau_verrou()

        def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
            o.point()
            t = o.tache_courante()
            if self._proprio is not None:
                if not blocking:
                    return False
                if not o.attendre(_libre(self, t, "un verrou"), _delai(timeout), _attente(self, t, "un verrou")):
                    return False
            self._proprio = t
            _noter_preneur(self._preneurs, t)
            acquerir(t, self._vc)
            return True

        def release(self) -> None:
            if self._proprio is None:
                o.annuler_si_fini()  # a wait unwound by the end of the run left the lock free
                raise RuntimeError("release unlocked lock")
            publier(o.tache_courante(), self._vc)
            self._proprio = None
            o.point()

        def locked(self) -> bool:
            return self._proprio is not None

        def __enter__(self) -> bool:
            return self.acquire()

        def __exit__(self, *exc: Any) -> None:
            self.release()

    class RLock:
        def __init__(self) -> None:
            self._proprio = None
            self._niveau = 0
            self._vc: dict[int, int] = {}
            self._preneurs = cycle.nouveau_verrou()

        def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
            o.point()
            t = o.tache_courante()
            if self._proprio is t:
                self._niveau += 1
                return True
            if self._proprio is not None:
                if not blocking:
                    return False
                if not o.attendre(_libre(self, t, "un verrou réentrant"), _delai(timeout),
                                  _attente(self, t, "un verrou réentrant")):
                    return False
            self._proprio, self._niveau = t, 1
            _noter_preneur(self._preneurs, t)
            acquerir(t, self._vc)
            return True

        def release(self) -> None:
            t = o.tache_courante()
            if self._proprio is not t:
                o.annuler_si_fini()  # a wait unwound by the end of the run left the lock free
                raise RuntimeError("cannot release un-acquired lock")
            self._niveau -= 1
            if self._niveau == 0:
                publier(t, self._vc)
                self._proprio = None
                o.point()

        def _liberer_tout(self) -> int:
            niveau, self._niveau = self._niveau, 1
            self.release()
            return niveau

        def _reprendre(self, niveau: int) -> None:
            self.acquire()
            self._niveau = niveau

        def __enter__(self) -> bool:
            return self.acquire()

        def __exit__(self, *exc: Any) -> None:
            self.release()

    class Condition:
        def __init__(self, lock: Any = None) -> None:
            self._lock = lock if lock is not None else RLock()
            self._attentes: list[list[bool]] = []
            self.acquire = self._lock.acquire
            self.release = self._lock.release

        def __enter__(self) -> bool:
            return self._lock.acquire()

        def __exit__(self, *exc: Any) -> None:
            self._lock.release()

        def wait(self, timeout: float | None = None) -> bool:
            t = o.tache_courante()
            if getattr(self._lock, "_proprio", None) is not t:
                raise RuntimeError("cannot wait on un-acquired lock")
            jeton = [False]
            self._attentes.append(jeton)
            niveau = self._lock._liberer_tout() if isinstance(self._lock, RLock) else (self._lock.release() or 1)
            try:
                ok = o.attendre(lambda: jeton[0], _delai(timeout), f"une notification (Condition, ligne {t.ligne})")
            finally:
                if not jeton[0] and jeton in self._attentes:
                    self._attentes.remove(jeton)
                if isinstance(self._lock, RLock):
                    self._lock._reprendre(niveau)
                else:
                    self._lock.acquire()
            return ok

        def wait_for(self, predicate: Callable[[], Any], timeout: float | None = None) -> Any:
            fin = None if timeout is None else o.horloge + timeout
            resultat = predicate()
            while not resultat:
                reste = None if fin is None else fin - o.horloge
                if reste is not None and reste <= 0:
                    break
                self.wait(reste)
                resultat = predicate()
            return resultat

        def notify(self, n: int = 1) -> None:
            t = o.tache_courante()
            if getattr(self._lock, "_proprio", None) is not t:
                raise RuntimeError("cannot notify on un-acquired lock")
            for jeton in self._attentes[:n]:
                jeton[0] = True
            del self._attentes[:n]

        def notify_all(self) -> None:
            self.notify(len(self._attentes))

        notifyAll = notify_all

    class Semaphore:
        def __init__(self, value: int = 1) -> None:
            if value < 0:
                raise ValueError("semaphore initial value must be >= 0")
            self._valeur = value
            self._vc: dict[int, int] = {}

        def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
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
            publier(o.tache_courante(), self._vc)
            self._valeur += n
            o.point()

        __enter__ = acquire

        def __exit__(self, *exc: Any) -> None:
            self.release()

    class BoundedSemaphore(Semaphore):
        def __init__(self, value: int = 1) -> None:
            super().__init__(value)
            self._initiale = value

        def release(self, n: int = 1) -> None:
            if self._valeur + n > self._initiale:
                raise ValueError("Semaphore released too many times")
            super().release(n)

    class Event:
        def __init__(self) -> None:
            self._drapeau = False
            self._vc: dict[int, int] = {}

        def is_set(self) -> bool:
            return self._drapeau

        isSet = is_set

        def set(self) -> None:
            publier(o.tache_courante(), self._vc)
            self._drapeau = True
            o.point()

        def clear(self) -> None:
            self._drapeau = False

        def wait(self, timeout: float | None = None) -> bool:
            o.point()
            t = o.tache_courante()
            ok = o.attendre(lambda: self._drapeau, _delai(timeout), f"un Event (ligne {t.ligne})")
            if ok:
                acquerir(t, self._vc)
            return ok

    class Thread:
        def __init__(self, group: Any = None, target: Callable | None = None, name: str | None = None,
                     args: tuple = (), kwargs: dict | None = None, *, daemon: bool | None = None) -> None:
            compteur_noms[0] += 1
            self._target, self._args, self._kwargs = target, tuple(args), dict(kwargs or {})
            self._name = name if name is not None else f"Thread-{compteur_noms[0]}"
            self._daemonic = bool(daemon) if daemon is not None else False
            self._tache = None
            self._demarre = False
            self._fini = False
            self._vc_fin: dict[int, int] = {}
            cycle.creation(self)

        name = property(lambda self: self._name, lambda self, v: setattr(self, "_name", str(v)))
        daemon = property(lambda self: self._daemonic, lambda self, v: setattr(self, "_daemonic", bool(v)))
        ident = property(lambda self: None if self._tache is None else self._tache.num + 1)
        native_id = ident

        def getName(self) -> str:
            return self._name

        def setName(self, v: str) -> None:
            self._name = v

        def isDaemon(self) -> bool:
            return self._daemonic

        def setDaemon(self, v: bool) -> None:
            self._daemonic = bool(v)

        def start(self) -> None:
            if self._demarre:
                raise RuntimeError("threads can only be started once")
            o.point()
            parent = o.tache_courante()
            self._tache = o.creer_tache(parent)
            self._demarre = True
            cycle.lien_tache(self._tache.num, self)
            cycle.evenement("start", self)
            o.lancer_thread_reel(self._tache, self._corps)

        def _corps(self) -> None:
            t = self._tache
            try:
                self.run()
            except BaseException as e:  # noqa: BLE001 - the stand-in of threading.excepthook
                if type(e).__name__ == "Annulation":
                    raise
                t.exception = e
                cycle.exception(self, e)
            finally:
                obs.vider(t)
                publier(t, self._vc_fin)
                self._fini = True
                cycle.evenement("fin", self)

        def run(self) -> None:
            if self._tache is None or o.tache_courante() is not self._tache:
                cycle.evenement("run_direct", self)
            if self._target is not None:
                self._target(*self._args, **self._kwargs)

        def join(self, timeout: float | None = None) -> None:
            if not self._demarre:
                raise RuntimeError("cannot join thread before it is started")
            t = o.tache_courante()
            if t is self._tache:
                raise RuntimeError("cannot join current thread")
            o.point()
            cycle.evenement("join", self, timeout=timeout)
            if o.attendre(lambda: self._fini, _delai(timeout), f"la fin de {self._tache.libelle} (join)"):
                acquerir(t, self._vc_fin)
                cycle.evenement("join_fin", self)

        def is_alive(self) -> bool:
            return self._demarre and not self._fini

        def __repr__(self) -> str:
            etat = "started" if self._demarre else "initial"
            return f"<Thread({self._name}, {etat})>"

    class Timer(Thread):
        def __init__(self, interval: float, function: Callable, args: Any = None, kwargs: Any = None) -> None:
            super().__init__()
            self.interval, self.function = interval, function
            self.args, self.kwargs = list(args or []), dict(kwargs or {})
            self.finished = Event()

        def cancel(self) -> None:
            self.finished.set()

        def run(self) -> None:
            self.finished.wait(self.interval)
            if not self.finished.is_set():
                self.function(*self.args, **self.kwargs)
            self.finished.set()

    class _Principal(Thread):
        def __init__(self) -> None:
            self._name, self._daemonic, self._demarre, self._fini = "MainThread", False, True, False
            self._tache, self._target = o.taches[0] if o.taches else None, None

    principal = _Principal()

    def current_thread() -> Thread:
        t = o.tache_courante()
        return cycle.thread_de(t.num) or principal

    class local:
        def __init__(self) -> None:
            object.__setattr__(self, "_par_tache", {})

        def _d(self) -> dict:
            return object.__getattribute__(self, "_par_tache").setdefault(o.tache_courante().num, {})

        def __getattr__(self, nom: str) -> Any:
            try:
                return self._d()[nom]
            except KeyError:
                raise AttributeError(nom) from None

        def __setattr__(self, nom: str, valeur: Any) -> None:
            self._d()[nom] = valeur

        def __delattr__(self, nom: str) -> None:
            self._d().pop(nom, None)

    def vivants() -> list:
        return [principal] + [th for th in cycle.threads if th.is_alive()]

    return {
        "Lock": Lock, "RLock": RLock, "Condition": Condition, "Semaphore": Semaphore,
        "BoundedSemaphore": BoundedSemaphore, "Event": Event, "Thread": Thread, "Timer": Timer,
        "local": local, "current_thread": current_thread, "currentThread": current_thread,
        "main_thread": lambda: principal, "get_ident": lambda: o.tache_courante().num + 1,
        "get_native_id": lambda: o.tache_courante().num + 1,
        "active_count": lambda: len(vivants()), "activeCount": lambda: len(vivants()),
        "enumerate": vivants, "TIMEOUT_MAX": _rt.TIMEOUT_MAX,
        "excepthook": _rt.excepthook, "ExceptHookArgs": _rt.ExceptHookArgs,
        "settrace": lambda f: None, "setprofile": lambda f: None,
        "BrokenBarrierError": _rt.BrokenBarrierError, "ThreadError": _rt.ThreadError,
    }
