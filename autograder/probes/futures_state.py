"""The state machine of a concurrent.futures.Future, shared by the cooperative and the reverse-order pools."""
from __future__ import annotations

from concurrent.futures import CancelledError
from typing import Any, Callable

PENDING, RUNNING, CANCELLED, FINISHED = "PENDING", "RUNNING", "CANCELLED", "FINISHED"


class FutureState:
    """PENDING -> RUNNING -> FINISHED, or PENDING -> CANCELLED, with the outcome and the done callbacks.

    Subclasses say how to wait for the end (``_attendre``: block on the scheduler, or run the call now) and
    may guard a transition with their own lock. Callbacks run in the completing thread, outside any lock,
    in the order they were added, as CPython runs them.
    """

    def __init__(self) -> None:
        self._etat = PENDING
        self._valeur: Any = None
        self._exc: BaseException | None = None
        self._rappels: list[Callable] = []

    def _fini(self) -> bool:
        return self._etat in (FINISHED, CANCELLED)

    def _attendre(self, timeout: float | None) -> None:
        """Return once the future is done; raise TimeoutError after ``timeout`` (subclasses)."""
        raise NotImplementedError

    def _passer_en_cours(self) -> bool:
        """PENDING -> RUNNING; False when the future was cancelled first (its call must not run)."""
        if self._etat == CANCELLED:
            return False
        self._etat = RUNNING
        return True

    def _fixer(self, valeur: Any, exc: BaseException | None, etat: str) -> None:
        """Record the outcome; the caller then runs :meth:`_prevenir` (outside its lock, if it holds one)."""
        self._valeur, self._exc, self._etat = valeur, exc, etat

    def _prevenir(self) -> None:
        for r in self._rappels:
            r(self)

    def result(self, timeout: float | None = None) -> Any:
        self._attendre(timeout)
        if self._etat == CANCELLED:
            raise CancelledError()
        if self._exc is not None:
            raise self._exc
        return self._valeur

    def exception(self, timeout: float | None = None) -> BaseException | None:
        self._attendre(timeout)
        if self._etat == CANCELLED:
            raise CancelledError()
        return self._exc

    def done(self) -> bool:
        return self._fini()

    def running(self) -> bool:
        return self._etat == RUNNING

    def cancelled(self) -> bool:
        return self._etat == CANCELLED

    def add_done_callback(self, fn: Callable) -> None:
        if self._fini():
            fn(self)
        else:
            self._rappels.append(fn)
