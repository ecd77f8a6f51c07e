"""The grading process: runs the hidden grader with pytest outside the jail, asking the jail for evidence."""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from .request import GradingRequest

# pytest's built-in plugins the graders never use: leaving them out saves ~40 ms per child. Nobody reads the
# child's terminal (the parent reads the channel), and capturing output per check costs fd juggling: without
# the terminal reporter and capture, a child's pytest run costs about half as much CPU.
USELESS_PLUGINS = [a for nom in ("doctest", "junitxml", "pastebin", "unittest", "legacypath", "tmpdir",
                                  "monkeypatch", "recwarn", "setuponly", "setupplan", "stepwise", "debugging",
                                  "faulthandler", "warnings", "logging", "python_path", "lfplugin",
                                  "threadexception", "unraisableexception", "terminal", "capture")
                    for a in ("-p", f"no:{nom}")]


def execute_child(request: GradingRequest, fd_channel: int) -> None:
    """Never returns: grades ``demande.tasks`` (student code runs in the jail only) and exits."""
    code = 0
    running_jail = None
    try:
        from .jail import Jail
        from .plugin import Channel, Plugin

        import pytest
        folder = request.workdir or tempfile.mkdtemp(prefix="correcteur-")
        os.chdir(folder)
        sys.dont_write_bytecode = True
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        canal = Channel(fd_channel)
        running_jail = Jail([Path(f) for f in request.public_files])
        running_jail.start()  # the jail starts while pytest collects the grader
        timeouts = dict(request.time_limits)
        grader_plugin = Plugin(request.cells, request.order, list(request.tasks), canal, timeouts, running_jail)
        # A backstop only: every jail request is bounded by its task's remaining time.
        guard = max(timeouts.values()) + 15
        # pytest_timeout is handed over as a module: `-p pytest_timeout` made pytest scan every installed
        # distribution's entry points (importlib.metadata) in each grading process.
        import pytest_timeout
        args = [request.grader, "-p", "no:cacheprovider",
                "--assert=plain", "--import-mode=importlib", f"--timeout={guard}",
                "-o", "timeout_method=signal", "-o", "addopts=", "--rootdir", folder,
                "-W", "ignore", *USELESS_PLUGINS]
        try:
            pytest.main(args, plugins=[grader_plugin, pytest_timeout])
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        canal.send({"type": "fin"})
    except BaseException:  # noqa: BLE001 - the parent reads the missing "fin" as a crash
        code = 70
        import traceback
        traceback.print_exc()
    finally:
        if running_jail is not None:
            running_jail.close_all()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            pass
        os._exit(code)


def main() -> None:
    """Spawn mode: ``python -m autograder.child FD`` with the request as JSON on stdin."""
    fd = int(sys.argv[1])
    request = GradingRequest.from_json(sys.stdin.read())
    execute_child(request, fd)


if __name__ == "__main__":
    main()
