"""Ctrl-C in the main process: seen even when a library turns it into another exception, deferrable."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from types import FrameType
from typing import Iterator


class CtrlC:
    """Owns SIGINT while a batch runs (restored on exit).

    A KeyboardInterrupt raised inside a library can come out as another exception (SQLAlchemy turns one raised
    in a commit into ``PendingRollbackError``): ``seen`` tells the caller that Ctrl-C was pressed whatever
    came out. Inside ``deferred()`` (saving one result: its JSON and its gradebook rows) the interrupt waits
    for the block's end, so that a result is saved whole or not at all.
    """

    def __init__(self) -> None:
        self.seen = False
        self._deferring = 0
        self._pending = False
        self._previous: object = None
        self._installed = False

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        self.seen = True
        if self._deferring:
            self._pending = True
            return
        raise KeyboardInterrupt

    def __enter__(self) -> CtrlC:
        # Signal handlers can only be set from the main thread; elsewhere (a test's thread) nothing changes.
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handler)
            self._installed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)  # type: ignore[arg-type]
            self._installed = False

    @contextmanager
    def deferred(self) -> Iterator[None]:
        self._deferring += 1
        try:
            yield
        finally:
            self._deferring -= 1
        if not self._deferring and self._pending:
            self._pending = False
            raise KeyboardInterrupt
