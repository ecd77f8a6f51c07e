"""This process's child processes (Linux /proc), and killing them: one place for sandbox and probes."""
from __future__ import annotations

import os
import signal


def children() -> set[int]:
    """Direct child processes of this process (Linux: /proc/self/task/*/children, one read per thread)."""
    pids: set[int] = set()
    try:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children", "rb") as f:
                pids.update(int(x) for x in f.read().split())
    except OSError:
        pass
    return pids


def kill_tree(pids: set[int]) -> None:
    """SIGKILL each process (and its group, if it leads one), then reap it."""
    for p in pids:
        for send in (os.killpg, os.kill):
            try:
                send(p, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            os.waitpid(p, 0)
        except ChildProcessError:
            pass
