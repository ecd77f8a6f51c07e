"""In a jail worker: an audit hook that stops student code from reaching the worker's own frames and memory.

A worker runs student code in the process that observes it, so anything the worker holds (the scheduler,
the request, the evidence pipe's secret) is one frame walk away: ``e.__traceback__.tb_frame.f_back``.
CPython's audit hooks (PEP 578) cannot be removed once added; this one refuses, while student code is on
the stack, the ways to a frame or to arbitrary objects (tb_frame, gi_frame, sys._getframe,
sys._current_frames, gc, sys.settrace/setprofile, building code objects, opening /proc, ctypes) unless the
standard-library function the student called is known to return only text or summaries
(``traceback.format_exc``, ``collections.namedtuple``...). A refusal raises AccesInterdit in the student's
code and is remembered as tampering. A speed bump with a report, not a wall (see docs/securite.md).
"""
from __future__ import annotations

import os
import sys
import threading
import types
from typing import Any, Callable

MSG_INTROSPECTION = ("L'introspection de l'exécution ({quoi}) est interdite pendant la correction : votre code "
                     "n'en a pas besoin, retirez-la.")
# Events that hand out frames or arbitrary objects; "open" and "import" are filtered by argument below.
EVENEMENTS = frozenset({"object.__getattr__", "sys._getframe", "sys._current_frames", "gc.get_objects",
                        "gc.get_referrers", "gc.get_referents", "sys.settrace", "sys.setprofile", "code.__new__",
                        "open", "import", "ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata", "ctypes.addressof",
                        "ctypes.string_at", "ctypes.wstring_at", "sys._getframemodulename"})
ATTRIBUTS = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame", "__code__", "f_back", "gi_code"})
MODULES_IMPORT_INTERDITS = frozenset({"ctypes", "_ctypes", "gc", "_testcapi", "_xxsubinterpreters"})
# Standard-library modules a student may call that use sys._getframe for names only (module, qualname).
MODULES_GETFRAME = ("collections", "typing", "enum", "warnings", "logging", "dataclasses", "functools", "abc",
                    "string", "threading", "queue", "concurrent.futures.thread", "concurrent.futures._base")
_ABSENT = object()


class Garde:
    """The hook's state: which code is trusted, which entry points are harmless, what was refused."""

    def __init__(self, confiance: dict[int, types.CodeType], dossier_paquet: str) -> None:
        import traceback
        self.confiance = confiance
        self.dossier_paquet = dossier_paquet
        self.refus: list[str] = []
        self._actifs: set[int] = set()
        # CPython clears the trace function itself (an audited sys.settrace) when the scheduler's tracer
        # raises to unwind a thread at the end of a run: the harness says when that may happen.
        self.tolerer_trace: Callable[[], bool] = lambda: False
        # tb_frame: reached through traceback's or logging's formatting functions (they return text), never
        # through the generators that hand frames out.
        self.fichiers_traceback = {traceback.__file__} | ({sys.modules["logging"].__file__}
                                                          if "logging" in sys.modules else set())
        self.generateurs_de_frames = {id(traceback.walk_tb.__code__), id(traceback.walk_stack.__code__)}
        self.fichiers_getframe = {getattr(sys.modules[m], "__file__", None) for m in MODULES_GETFRAME
                                  if m in sys.modules}

    def installer(self) -> None:
        sys.addaudithook(self)

    # -- the run's instruments ----------------------------------------------------------------------
    # The scheduler, the race observer and the thread records are reachable from student code without any
    # audited step (a stand-in method's __closure__, sys.gettrace().__self__): rebinding one of their
    # attributes (the tracing rule, the observer, the random source) would switch the probes off. The
    # worker seals them before the cells load and checks them after the run: a change is tampering.
    def sceller(self, instruments: dict[str, tuple[Any, tuple[str, ...]]],
                controle: Callable[[], list[str]] | None = None) -> None:
        """``instruments``: name -> (object, the attributes the run itself rebinds); ``controle`` lists, after
        the run, what else student code changed (it is kept here, where student code cannot reach it)."""
        self._sceaux = {nom: (o, dict(vars(o)), frozenset(variables)) for nom, (o, variables) in instruments.items()}
        self._controle = controle

    def instruments_alteres(self) -> list[str]:
        """The sealed instruments that gained an attribute or had one rebound outside their variables."""
        alteres = []
        for nom, (o, avant, variables) in getattr(self, "_sceaux", {}).items():
            apres = vars(o)
            if (any(k not in avant for k in apres)
                    or any(k not in variables and apres.get(k, _ABSENT) is not v for k, v in avant.items())):
                alteres.append(nom)
        controle = getattr(self, "_controle", None)
        if controle is not None:
            try:
                alteres.extend(controle())
            except Exception:  # noqa: BLE001 - a check that student objects made fail is itself a change
                alteres.append("contrôle des stand-ins")
        return alteres

    # The hook. It must not raise for trusted code, and never recurse (sys._getframe below is audited too).
    def __call__(self, evenement: str, args: tuple) -> None:
        # Hot path: the scheduler's tracer reads frame.f_code at every traced opcode (an audited attribute).
        if evenement == "object.__getattr__":
            if args[1] not in ATTRIBUTS:
                return
        elif evenement not in EVENEMENTS:
            return
        moi = threading.get_ident()
        if moi in self._actifs:
            return
        self._actifs.add(moi)
        try:
            quoi = self._refus(evenement, args)
        finally:
            self._actifs.discard(moi)
        if quoi is not None:
            from .probes.espace import AccesInterdit
            self.refus.append(quoi)
            raise AccesInterdit(MSG_INTROSPECTION.format(quoi=quoi))

    def _refus(self, evenement: str, args: tuple) -> str | None:
        """What is refused (a short name), or None."""
        if evenement == "object.__getattr__" and (len(args) < 2 or args[1] not in ATTRIBUTS):
            return None
        if evenement == "open" and not _sous_proc(args[0] if args else None):
            return None
        if evenement == "import" and (not args or str(args[0]).split(".")[0] not in MODULES_IMPORT_INTERDITS):
            return None
        if evenement in ("sys.settrace", "sys.setprofile") and self.tolerer_trace():
            return None
        entree = self._entree()
        if entree is False:  # no student code on the stack
            return None
        nom = f"{evenement} {args[1]}" if evenement == "object.__getattr__" else evenement
        if entree is None:
            return nom
        if (evenement == "object.__getattr__" and args[1] == "tb_frame" and entree.co_filename in
                self.fichiers_traceback and id(entree) not in self.generateurs_de_frames):
            return None
        if evenement == "sys._getframe" and entree.co_filename in self.fichiers_getframe:
            return None
        if evenement == "open" and entree.co_filename.startswith(self.dossier_paquet):
            return None
        return nom

    def _entree(self) -> Any:
        """False when no student code is on the stack; None when student code itself made the call; else the
        code of the trusted function the student called (the way in)."""
        f = sys._getframe(3)  # 0: _entree, 1: _refus, 2: __call__, 3: where the event happened
        precedent = None
        while f is not None:
            if id(f.f_code) not in self.confiance:
                return precedent
            precedent = f.f_code
            f = f.f_back
        return False


def _sous_proc(chemin: Any) -> bool:
    if isinstance(chemin, bytes):
        chemin = chemin.decode("utf-8", "replace")
    if not isinstance(chemin, str):
        return False
    chemin = os.path.normpath(os.path.join(os.getcwd(), chemin))
    return chemin == "/proc" or chemin.startswith("/proc/")
