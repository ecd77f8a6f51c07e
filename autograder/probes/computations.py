"""Picklable top-level functions that graders send to worker processes (any start method imports them)."""
from __future__ import annotations

import os


def pid_and_square(x: int) -> tuple[int, int]:
    """The id of the process that computed, and the square of ``x``."""
    return os.getpid(), x * x


def pid_after_pause(x: int) -> int:
    """The id of the process that computed, after a short pause (so that every worker of a pool gets work)."""
    import time
    time.sleep(0.2)
    return os.getpid()
