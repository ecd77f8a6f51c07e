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
MODULES_INTERDITS = frozenset({
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

PREIMPORTES = ("threading", "queue", "time")
_OS_PERMIS = ("getpid", "getppid", "cpu_count", "sep", "linesep", "path", "getcwd", "urandom", "name",
              "process_cpu_count", "sched_getaffinity", "SEEK_SET")
_SYS_PERMIS = ("version", "version_info", "platform", "maxsize", "byteorder", "getswitchinterval",
               "getrecursionlimit", "implementation", "float_info", "hexversion")


class AccesInterdit(PermissionError):
    """A guarded name or module was used by the student's code."""


def _module_restreint(nom: str, source: Any, permis: tuple[str, ...], extra: dict | None = None,
                      dynamiques: tuple[str, ...] = ()) -> types.ModuleType:
    """``dynamiques`` are read from ``source`` at each access (sys.stdout is swapped for a capture later)."""
    m = types.ModuleType(nom)
    for k in permis:
        if hasattr(source, k):
            setattr(m, k, getattr(source, k))
    for k, v in (extra or {}).items():
        setattr(m, k, v)

    def __getattr__(attr: str) -> Any:
        if attr in dynamiques:
            return getattr(source, attr)
        raise AccesInterdit(MSG_ATTRIBUT_INTERDIT.format(module=nom, nom=attr))

    m.__getattr__ = __getattr__  # type: ignore[attr-defined]
    return m


def _interdit_open(*_a: Any, **_k: Any) -> Any:
    raise AccesInterdit(MSG_FICHIER_INTERDIT)


def _interdit_input(*_a: Any, **_k: Any) -> Any:
    raise AccesInterdit(MSG_INPUT)


def _sortir(code: Any = None) -> None:
    raise SystemExit(code)


def fabriquer_espace(substituts: dict[str, types.ModuleType]) -> dict[str, Any]:
    """A fresh globals dict for student cells; ``substituts`` maps module names to stand-ins."""
    bi = dict(builtins.__dict__)
    module_bi = types.ModuleType("builtins")
    fixes = {
        "os": _module_restreint("os", _os, _OS_PERMIS, {"environ": {}}),
        "sys": _module_restreint("sys", _sys, _SYS_PERMIS, {"exit": _sortir, "setswitchinterval": lambda v: None},
                                 dynamiques=("stdout", "stderr")),
        "builtins": module_bi,
    }

    def importer(nom: str, globals: Any = None, locals: Any = None, fromlist: Any = (), level: int = 0) -> Any:
        if level:
            raise ImportError("les imports relatifs ne sont pas possibles dans un notebook")
        racine = nom.split(".")[0]
        if racine in MODULES_INTERDITS:
            raise AccesInterdit(MSG_IMPORT_INTERDIT.format(module=racine))
        if nom in substituts:
            return substituts[nom] if fromlist or "." not in nom else substituts[racine]
        if racine in substituts and racine != nom:
            return substituts[racine]
        if racine in fixes:
            return fixes[racine]
        return builtins.__import__(nom, globals, locals, fromlist, level)

    bi.update({"__import__": importer, "open": _interdit_open, "input": _interdit_input,
               "exit": _sortir, "quit": _sortir, "breakpoint": lambda *a, **k: None,
               "display": lambda *objets, **_k: print(*objets)})
    module_bi.__dict__.update(bi)
    ns: dict[str, Any] = {"__name__": "__main__", "__builtins__": bi}
    for nom in PREIMPORTES:  # earlier notebook cells import them; a graded cell may rely on it
        ns[nom] = importer(nom)
    return ns


def module(nom: str, noms: dict[str, Any]) -> types.ModuleType:
    """A module object named ``nom`` holding ``noms``; unknown names get a clear French error."""
    m = types.ModuleType(nom)
    m.__dict__.update(noms)

    def __getattr__(attr: str) -> Any:
        raise AttributeError(f"« {nom}.{attr} » n'est pas pris en charge par l'environnement de correction")

    m.__getattr__ = __getattr__  # type: ignore[attr-defined]
    return m
