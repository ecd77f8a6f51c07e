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
PLUGINS_INUTILES = [a for nom in ("doctest", "junitxml", "pastebin", "unittest", "legacypath", "tmpdir",
                                  "monkeypatch", "recwarn", "setuponly", "setupplan", "stepwise", "debugging",
                                  "faulthandler", "warnings", "logging", "python_path", "lfplugin",
                                  "threadexception", "unraisableexception", "terminal", "capture")
                    for a in ("-p", f"no:{nom}")]


def executer_enfant(demande: GradingRequest, fd_canal: int) -> None:
    """Never returns: grades ``demande.tasks`` (student code runs in the jail only) and exits."""
    code = 0
    prison = None
    try:
        from .jail import Prison
        from .plugin import Canal, Greffon

        import pytest
        dossier = demande.workdir or tempfile.mkdtemp(prefix="correcteur-")
        os.chdir(dossier)
        sys.dont_write_bytecode = True
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        canal = Canal(fd_canal)
        prison = Prison([Path(f) for f in demande.public_files])
        prison.demarrer()  # the jail starts while pytest collects the grader
        delais = dict(demande.time_limits)
        greffon = Greffon(demande.cells, demande.order, list(demande.tasks), canal, delais, prison)
        # A backstop only: every jail request is bounded by its task's remaining time.
        garde = max(delais.values()) + 15
        args = [demande.grader, "-p", "no:cacheprovider", "-p", "pytest_timeout",
                "--assert=plain", "--import-mode=importlib", f"--timeout={garde}",
                "-o", "timeout_method=signal", "-o", "addopts=", "--rootdir", dossier,
                "-W", "ignore", *PLUGINS_INUTILES]
        try:
            pytest.main(args, plugins=[greffon])
        finally:
            shutil.rmtree(dossier, ignore_errors=True)
        canal.envoyer({"type": "fin"})
    except BaseException:  # noqa: BLE001 - the parent reads the missing "fin" as a crash
        code = 70
        import traceback
        traceback.print_exc()
    finally:
        if prison is not None:
            prison.fermer()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            pass
        os._exit(code)


def main() -> None:
    """Spawn mode: ``python -m autograder.child FD`` with the request as JSON on stdin."""
    fd = int(sys.argv[1])
    demande = GradingRequest.from_json(sys.stdin.read())
    executer_enfant(demande, fd)


if __name__ == "__main__":
    main()
