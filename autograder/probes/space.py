"""The namespace a student cell runs in: stand-in modules, a guarded import, no file access."""
from __future__ import annotations

import builtins
import os as _os
import sys as _sys
import types
from typing import Any

# A speed bump, not a wall: Python offers ways around any in-process guard (the
# threat model in docs/securite.md says which). The guarantees come from the
# process boundary; this stops the plain attempts early with a clear message.
FORBIDDEN_MODULES = frozenset({
    "_pytest", "pytest", "pluggy", "autograder", "ctypes", "gc", "signal", "inspect", "importlib",
    "subprocess", "pty", "resource", "faulthandler", "socket", "shutil", "pathlib", "io", "_io",
    "marshal", "pickle", "code", "codeop",
})
MSG_IMPORT_INTERDIT = ("L'importation du module « {module} » est interdite pendant la correction : "
                       "votre code n'en a pas besoin, retirez-la.")
MSG_FICHIER_INTERDIT = ("L'accès aux fichiers (open) est interdit pendant la correction : "
                        "votre code ne doit ni lire ni écrire de fichier.")
MSG_ATTRIBUT_INTERDIT = "« {module}.{nom} » n'est pas disponible pendant la correction : votre code n'en a pas besoin."
MSG_INPUT = "input() n'est pas disponible pendant la correction : une fonction notée ne doit rien demander au clavier."

PREIMPORTED = ("threading", "queue", "time")
_OS_ALLOWED = ("getpid", "getppid", "cpu_count", "sep", "linesep", "path", "getcwd", "urandom", "name",
              "process_cpu_count", "sched_getaffinity", "SEEK_SET")
_SYS_ALLOWED = ("version", "version_info", "platform", "maxsize", "byteorder", "getswitchinterval",
               "getrecursionlimit", "implementation", "float_info", "hexversion")


class AccesInterdit(PermissionError):
    """A guarded name or module was used by the student's code."""


def _restricted_module(nom: str, source: Any, allowed: tuple[str, ...], extra: dict | None = None,
                      dynamic: tuple[str, ...] = ()) -> types.ModuleType:
    """``dynamiques`` are read from ``source`` at each access (sys.stdout is swapped for a capture later)."""
    m = types.ModuleType(nom)
    for k in allowed:
        if hasattr(source, k):
            setattr(m, k, getattr(source, k))
    for k, v in (extra or {}).items():
        setattr(m, k, v)

    def __getattr__(attr: str) -> Any:
        if attr in dynamic:
            return getattr(source, attr)
        raise AccesInterdit(MSG_ATTRIBUT_INTERDIT.format(module=nom, nom=attr))

    m.__getattr__ = __getattr__  # type: ignore[attr-defined]
    return m


def _forbidden_open(*_a: Any, **_k: Any) -> Any:
    raise AccesInterdit(MSG_FICHIER_INTERDIT)


def _forbidden_input(*_a: Any, **_k: Any) -> Any:
    raise AccesInterdit(MSG_INPUT)


def _exit(code: Any = None) -> None:
    raise SystemExit(code)


def build_space(substituts: dict[str, types.ModuleType]) -> dict[str, Any]:
    """A fresh globals dict for student cells; ``substituts`` maps module names to stand-ins."""
    bi = dict(builtins.__dict__)
    module_bi = types.ModuleType("builtins")
    fixes = {
        "os": _restricted_module("os", _os, _OS_ALLOWED, {"environ": {}}),
        "sys": _restricted_module("sys", _sys, _SYS_ALLOWED, {"exit": _exit, "setswitchinterval": lambda v: None},
                                 dynamic=("stdout", "stderr")),
        "builtins": module_bi,
    }

    def do_import(nom: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
        if level:
            raise ImportError("les imports relatifs ne sont pas possibles dans un notebook")
        root = nom.split(".")[0]
        if root in FORBIDDEN_MODULES:
            raise AccesInterdit(MSG_IMPORT_INTERDIT.format(module=root))
        if nom in substituts:
            return substituts[nom] if fromlist or "." not in nom else substituts[root]
        if root in substituts and root != nom:
            return substituts[root]
        if root in fixes:
            return fixes[root]
        return builtins.__import__(nom, globals, locals, fromlist, level)

    bi.update({"__import__": do_import, "open": _forbidden_open, "input": _forbidden_input,
               "exit": _exit, "quit": _exit, "breakpoint": lambda *a, **k: None,
               "display": lambda *objects, **_k: print(*objects)})
    module_bi.__dict__.update(bi)
    ns: dict[str, Any] = {"__name__": "__main__", "__builtins__": bi}
    for nom in PREIMPORTED:  # earlier notebook cells import them; a graded cell may rely on it
        ns[nom] = do_import(nom)
    return ns


def module(nom: str, name_set: dict[str, Any]) -> types.ModuleType:
    """A module object named ``nom`` holding ``noms``; unknown names get a clear French error."""
    m = types.ModuleType(nom)
    m.__dict__.update(name_set)

    def __getattr__(attr: str) -> Any:
        raise AttributeError(f"« {nom}.{attr} » n'est pas pris en charge par l'environnement de correction")

    m.__getattr__ = __getattr__  # type: ignore[attr-defined]
    return m
