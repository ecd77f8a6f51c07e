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
from typing import Any, Callable, Iterable

MSG_INTROSPECTION = ("L'introspection de l'exécution ({quoi}) est interdite pendant la correction : votre code "
                     "n'en a pas besoin, retirez-la.")
# Events that hand out frames or arbitrary objects; "open" and "import" are filtered by argument below.
EVENTS = frozenset({"object.__getattr__", "sys._getframe", "sys._current_frames", "gc.get_objects",
                        "gc.get_referrers", "gc.get_referents", "sys.settrace", "sys.setprofile", "code.__new__",
                        "open", "import", "ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata", "ctypes.addressof",
                        "ctypes.string_at", "ctypes.wstring_at", "sys._getframemodulename"})
ATTRIBUTES = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame", "__code__", "f_back", "gi_code"})
FORBIDDEN_IMPORT_MODULES = frozenset({"ctypes", "_ctypes", "gc", "_testcapi", "_xxsubinterpreters"})
# Standard-library modules a student may call that use sys._getframe for names only (module, qualname).
MODULES_GETFRAME = ("collections", "typing", "enum", "warnings", "logging", "dataclasses", "functools", "abc",
                    "string", "threading", "queue", "concurrent.futures.thread", "concurrent.futures._base")
_ABSENT = object()


class Guard:
    """The hook's state: which code is trusted, which entry points are harmless, what was refused."""

    def __init__(self, trust: frozenset[int], package_folder: str) -> None:
        import traceback
        # Ids of trusted code, frozen and held here only: the tracing rule's own table is reachable from student
        # code (a closure is never audited), and code added to it must not become trusted by this hook.
        self.trust = trust
        self._trust_more: frozenset[int] = frozenset()
        self.package_folder = package_folder
        self.refus: list[str] = []
        self._active: set[int] = set()
        # CPython clears the trace function itself (an audited sys.settrace) when the scheduler's tracer
        # raises to unwind a thread at the end of a run: the harness says when that may happen.
        self.tolerate_trace: Callable[[], bool] = lambda: False
        # tb_frame: reached through traceback's or logging's formatting functions (they return text), never
        # through the generators that hand frames out.
        self.files_traceback = {traceback.__file__} | ({sys.modules["logging"].__file__}
                                                          if "logging" in sys.modules else set())
        self.generators_of_frames = {id(traceback.walk_tb.__code__), id(traceback.walk_stack.__code__)}
        self.files_getframe = {getattr(sys.modules[m], "__file__", None) for m in MODULES_GETFRAME
                                  if m in sys.modules}

    def install(self) -> None:
        sys.addaudithook(self)

    def trust_more(self, ids: Iterable[int]) -> None:
        """Trust the code of the grader's scenario too (it arrives with the request, before any student code)."""
        self._trust_more = self._trust_more | frozenset(ids)

    # -- the run's instruments ----------------------------------------------------------------------
    # The scheduler, the race observer and the thread records are reachable from student code without any
    # audited step (a stand-in method's __closure__, sys.gettrace().__self__): rebinding one of their
    # attributes (the tracing rule, the observer, the random source) would switch the probes off. The
    # worker seals them before the cells load and checks them after the run: a change is tampering.
    def seal(self, instruments: dict[str, tuple[Any, tuple[str, ...]]],
                control: Callable[[], list[str]] | None = None) -> None:
        """``instruments``: name -> (object, the attributes the run itself rebinds); ``controle`` lists, after
        the run, what else student code changed (it is kept here, where student code cannot reach it)."""
        self._seals = {nom: (o, dict(vars(o)), frozenset(variables)) for nom, (o, variables) in instruments.items()}
        self._control = control

    def tampered_instruments(self) -> list[str]:
        """The sealed instruments that gained an attribute or had one rebound outside their variables."""
        altered = []
        for nom, (o, avant, variables) in getattr(self, "_seals", {}).items():
            after = vars(o)
            if (any(k not in avant for k in after)
                    or any(k not in variables and after.get(k, _ABSENT) is not v for k, v in avant.items())):
                altered.append(nom)
        control = getattr(self, "_control", None)
        if control is not None:
            try:
                altered.extend(control())
            except Exception:  # noqa: BLE001 - a check that student objects made fail is itself a change
                altered.append("contrôle des stand-ins")
        return altered

    # The hook. It must not raise for trusted code, and never recurse (sys._getframe below is audited too).
    def __call__(self, event: str, args: tuple) -> None:
        # Hot path: the scheduler's tracer reads frame.f_code at every traced opcode (an audited attribute).
        if event == "object.__getattr__":
            if args[1] not in ATTRIBUTES:
                return
        elif event not in EVENTS:
            return
        me = threading.get_ident()
        if me in self._active:
            return
        self._active.add(me)
        try:
            what = self._refusal(event, args)
        finally:
            self._active.discard(me)
        if what is not None:
            from .probes.space import AccesInterdit
            self.refus.append(what)
            raise AccesInterdit(MSG_INTROSPECTION.format(quoi=what))

    def _refusal(self, event: str, args: tuple) -> str | None:
        """What is refused (a short name), or None."""
        if event == "object.__getattr__" and (len(args) < 2 or args[1] not in ATTRIBUTES):
            return None
        if event == "open" and not _under_proc(args[0] if args else None):
            return None
        if event == "import" and (not args or str(args[0]).split(".")[0] not in FORBIDDEN_IMPORT_MODULES):
            return None
        if event in ("sys.settrace", "sys.setprofile") and self.tolerate_trace():
            return None
        entry = self._entry()
        if entry is False:  # no student code on the stack
            return None
        nom = f"{event} {args[1]}" if event == "object.__getattr__" else event
        if entry is None:
            return nom
        if (event == "object.__getattr__" and args[1] == "tb_frame" and entry.co_filename in
                self.files_traceback and id(entry) not in self.generators_of_frames):
            return None
        if event == "sys._getframe" and entry.co_filename in self.files_getframe:
            return None
        if event == "open" and entry.co_filename.startswith(self.package_folder):
            return None
        return nom

    def _entry(self) -> Any:
        """False when no student code is on the stack; None when student code itself made the call; else the
        code of the trusted function the student called (the way in)."""
        f = sys._getframe(3)  # 0: _entree, 1: _refus, 2: __call__, 3: where the event happened
        previous = None
        while f is not None:
            if id(f.f_code) not in self.trust and id(f.f_code) not in self._trust_more:
                return previous
            previous = f.f_code
            f = f.f_back
        return False


def _under_proc(path: Any) -> bool:
    if isinstance(path, bytes):
        path = path.decode("utf-8", "replace")
    if not isinstance(path, str):
        return False
    path = os.path.normpath(os.path.join(os.getcwd(), path))
    return path == "/proc" or path.startswith("/proc/")
