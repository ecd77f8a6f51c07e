"""The sandbox child: applies limits, then runs the hidden grader with pytest on the student's cells."""
from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import types
import threading

# Limits a child gives itself before any student code runs (the parent also has a wall clock).
LIMITE_MEMOIRE = 2 * 1024 ** 3          # address space: a 12 GiB allocation fails with MemoryError
LIMITE_FICHIER = 32 * 1024 ** 2         # largest file (and so stdout/stderr file) the child may write
LIMITE_FICHIERS_OUVERTS = 256
PROCESSUS_EN_PLUS = 64                  # processes beyond those the user already runs (non-root only)
PILE_THREAD = 512 * 1024
# pytest's built-in plugins the graders never use: leaving them out saves ~40 ms per child.
PLUGINS_INUTILES = [a for nom in ("doctest", "junitxml", "pastebin", "unittest", "legacypath", "tmpdir",
                                  "monkeypatch", "recwarn", "setuponly", "setupplan", "stepwise", "debugging",
                                  "faulthandler", "warnings", "logging", "python_path", "lfplugin",
                                  "threadexception", "unraisableexception") for a in ("-p", f"no:{nom}")]


def _processus_utilisateur() -> int:
    uid = os.getuid()
    n = 0
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if os.stat(f"/proc/{d}").st_uid == uid:
                    n += 1
            except OSError:
                pass
    return n


def appliquer_limites(cpu: int) -> None:
    """Memory, file size, open files, CPU seconds, no core dump, a bounded number of processes."""
    def fixer(r: int, v: int) -> None:
        dur = resource.getrlimit(r)[1]
        v = v if dur == resource.RLIM_INFINITY else min(v, dur)
        resource.setrlimit(r, (v, v))

    fixer(resource.RLIMIT_AS, LIMITE_MEMOIRE)
    fixer(resource.RLIMIT_FSIZE, LIMITE_FICHIER)
    fixer(resource.RLIMIT_NOFILE, LIMITE_FICHIERS_OUVERTS)
    fixer(resource.RLIMIT_CORE, 0)
    fixer(resource.RLIMIT_CPU, cpu)
    if os.getuid() != 0:
        fixer(resource.RLIMIT_NPROC, _processus_utilisateur() + PROCESSUS_EN_PLUS)
    threading.stack_size(PILE_THREAD)


def executer_enfant(demande: dict, fd_canal: int) -> None:
    """Never returns: grades ``demande['taches']`` and exits the process."""
    code = 0
    try:
        from .plugin import Canal, Greffon  # imported before limits: pytest is large

        import faulthandler
        import signal

        import pytest
        # The parent sends SIGUSR1 before killing a hung child: every thread's stack lands in the file
        # the parent gave for it (faulthandler writes from its C handler, even while C code holds the GIL).
        piles = os.fdopen(int(demande["piles"]), "w")
        faulthandler.register(signal.SIGUSR1, file=piles, all_threads=True)
        appliquer_limites(int(demande["cpu"]))
        dossier = tempfile.mkdtemp(prefix="soumission-")
        os.chdir(dossier)
        sys.dont_write_bytecode = True
        # A process pool started with spawn/forkserver re-imports the parent's __main__ in each worker:
        # the caller's script (a TA's, unguarded) must not run again there. Workers get a blank one.
        sys.modules["__main__"] = types.ModuleType("__main__")
        tempfile.tempdir = dossier
        from .confinement import confiner
        # Writes only in its own folder (and /dev for null and shm semaphores); no TCP at all.
        confiner([dossier, "/dev"])
        for cle in list(os.environ):
            if cle not in ("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV"):
                del os.environ[cle]
        os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        os.environ["TMPDIR"] = dossier
        canal = Canal(fd_canal)
        greffon = Greffon(demande["cellules"], demande["taches"], canal, float(demande["delai"]))
        args = [demande["correcteur"], "-q", "-p", "no:cacheprovider", "-p", "pytest_timeout",
                "--assert=plain", "--import-mode=importlib", f"--timeout={demande['delai']}",
                "-o", "timeout_method=signal", "-o", "addopts=", "--rootdir", dossier,
                "-W", "ignore", "--no-header", *PLUGINS_INUTILES]
        pytest.main(args, plugins=[greffon])
        canal.envoyer({"type": "fin"})
    except BaseException:  # noqa: BLE001 - the parent reads the missing "fin" as a crash
        code = 70
        import traceback
        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except BaseException:  # noqa: BLE001
            pass
        os._exit(code)


def main() -> None:
    """Spawn mode: ``python -m autograder.child FD`` with the request as JSON on stdin."""
    fd = int(sys.argv[1])
    demande = json.loads(sys.stdin.read())
    executer_enfant(demande, fd)


if __name__ == "__main__":
    main()
