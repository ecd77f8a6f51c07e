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
        self._state = PENDING
        self._valeur: Any = None
        self._exc: BaseException | None = None
        self._callbacks: list[Callable] = []

    def _finished(self) -> bool:
        return self._state in (FINISHED, CANCELLED)

    def _wait(self, timeout: float | None) -> None:
        """Return once the future is done; raise TimeoutError after ``timeout`` (subclasses)."""
        raise NotImplementedError

    def _mark_running(self) -> bool:
        """PENDING -> RUNNING; False when the future was cancelled first (its call must not run)."""
        if self._state == CANCELLED:
            return False
        self._state = RUNNING
        return True

    def _set(self, valeur: Any, exc: BaseException | None, state: str) -> None:
        """Record the outcome; the caller then runs :meth:`_prevenir` (outside its lock, if it holds one)."""
        self._valeur, self._exc, self._state = valeur, exc, state

    def _warn(self) -> None:
        for r in self._callbacks:
            r(self)

    def result(self, timeout: float | None = None) -> Any:
        self._wait(timeout)
        if self._state == CANCELLED:
            raise CancelledError()
        if self._exc is not None:
            raise self._exc
        return self._valeur

    def exception(self, timeout: float | None = None) -> BaseException | None:
        self._wait(timeout)
        if self._state == CANCELLED:
            raise CancelledError()
        return self._exc

    def done(self) -> bool:
        return self._finished()

    def running(self) -> bool:
        return self._state == RUNNING

    def cancelled(self) -> bool:
        return self._state == CANCELLED

    def add_done_callback(self, fn: Callable) -> None:
        if self._finished():
            fn(self)
        else:
            self._callbacks.append(fn)
