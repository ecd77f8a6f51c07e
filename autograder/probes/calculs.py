"""Picklable top-level functions that graders send to worker processes (any start method imports them)."""
from __future__ import annotations

import os


def pid_et_carre(x: int) -> tuple[int, int]:
    """The id of the process that computed, and the square of ``x``."""
    return os.getpid(), x * x
