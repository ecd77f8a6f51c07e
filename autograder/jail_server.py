"""Inside the jail: read run requests, run each in a fresh fork, send back evidence (never a verdict).

Protocol (one JSON object per line, stdin -> stdout of the jail, both private pipes):
request  {"op": "executer" | "reel", "delai": seconds, "cellules": {...}, "principales": [...],
          "references": {...}, "options": {...}, "charge": base64(cloudpickle((scenario, substituts)))}
response {"statut": "ok", "preuve": {...}} | {"statut": "delai", "piles": "..."}
         | {"statut": "plantage", "detail": "..."}
The worker that runs student code is forked per request: nothing it changes survives to the next one.
"""
from __future__ import annotations

import base64
import gc
import json
import operator
import os
import resource
import select
import signal
import sys
import time
import types
from typing import Any

from .guard import Guard

LINE_MAX = 8 * 1024 ** 2        # bytes of one request
PROOF_MAX = 4 * 1024 ** 2       # bytes of one worker's evidence relayed out
STACKS_MAX = 64 * 1024            # bytes of stack dump relayed out
MEMORY_LIMIT = 2 * 1024 ** 3   # address space of a worker: a 12 GiB allocation fails with MemoryError
FILE_LIMIT = 32 * 1024 ** 2
OPEN_FILES_LIMIT = 256
EXTRA_PROCESSES = 64
THREAD_STACK = 512 * 1024
MARGIN_STACKS = 0.5                # real seconds before the deadline at which a hung worker is asked for stacks
# Imported before the trusted-code walk, so that their code is never traced as the student's.
PRELOADED_MODULES = ("threading", "queue", "time", "json", "random", "math", "collections", "itertools",
                      "functools", "dataclasses", "typing", "re", "string", "statistics", "operator", "copy",
                      "concurrent.futures", "concurrent.futures.thread", "concurrent.futures.process",
                      "multiprocessing", "multiprocessing.pool", "multiprocessing.synchronize", "enum",
                      "traceback", "linecache", "textwrap", "heapq", "bisect", "contextlib", "weakref",
                      "faulthandler", "cloudpickle", "autograder.probes.api", "autograder.probes.harness",
                      "autograder.probes.verdicts", "autograder.probes.futures_fake",
                      "autograder.probes.computations", "autograder.probes.proofs", "autograder.probes.space")


def trusted_codes(roots: list[Any]) -> dict[int, types.CodeType]:
    """id -> code object of every function reachable from ``racines`` (modules, classes, functions).

    The code objects are kept alive in the mapping, so an id is never reused by student code.
    """
    seen: dict[int, types.CodeType] = {}
    seen_objects: set[int] = set()

    def code(c: types.CodeType) -> None:
        if id(c) in seen:
            return
        seen[id(c)] = c
        for k in c.co_consts:
            if isinstance(k, types.CodeType):
                code(k)

    def visit(o: Any, depth: int) -> None:
        # Modules, classes and functions are followed whatever the depth (the seen-set ends cycles): a
        # depth cut would mark a class seen on a long path and skip it on the short one.
        if id(o) in seen_objects:
            return
        if isinstance(o, (staticmethod, classmethod)):
            o = o.__func__
        if isinstance(o, types.FunctionType):
            seen_objects.add(id(o))
            code(o.__code__)
            for cell in o.__closure__ or ():
                try:
                    visit(cell.cell_contents, depth + 1)
                except ValueError:
                    pass
            if not isinstance(sys.modules.get(o.__module__ or ""), types.ModuleType):
                # Shipped by value (a hidden grader's helper): its globals are its own small dict.
                for v in list(o.__globals__.values()):
                    visit(v, depth + 1)
        elif isinstance(o, property):
            seen_objects.add(id(o))
            for f in (o.fget, o.fset, o.fdel):
                if f is not None:
                    visit(f, depth + 1)
        elif isinstance(o, (type, types.ModuleType)):
            seen_objects.add(id(o))
            for v in list(vars(o).values()):
                visit(v, depth + 1)
        elif isinstance(o, (tuple, list)) and depth < 4:
            seen_objects.add(id(o))
            for v in o:
                visit(v, depth + 1)

    for r in roots:
        visit(r, 0)
    return seen


def codes_existing() -> dict[int, types.CodeType]:
    """id -> code object of every function alive in this process, and of the code nested in them.

    Called before any student code is loaded, so everything alive is trusted. It finds a superset of what a
    walk from the modules finds (closures, lambdas in defaults...) in a quarter of the time: the jail
    server starts once per submission.
    """
    seen: dict[int, types.CodeType] = {}
    stack = [o.__code__ for o in gc.get_objects() if type(o) is types.FunctionType]
    while stack:
        c = stack.pop()
        if id(c) not in seen:
            seen[id(c)] = c
            stack.extend(k for k in c.co_consts if type(k) is types.CodeType)
    return seen


PR_SET_DUMPABLE = 4


def not_dumpable() -> None:
    """Make this process non-dumpable (Linux prctl), so that no process of the jail user can read or write its
    memory or open its file descriptors through /proc: a program started by student code runs without the
    guard, and could otherwise read the request's nonce from memory and write evidence down the worker's
    pipe. Forked workers inherit the flag. ctypes is removed from sys.modules afterwards: a student's
    ``import ctypes`` must still be a fresh, audited import."""
    before = set(sys.modules)
    import ctypes
    try:
        if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")
    finally:
        for nom in set(sys.modules) - before:
            del sys.modules[nom]


def _apply_limits(cpu: int) -> None:
    def set_value(r: int, v: int) -> None:
        hard = resource.getrlimit(r)[1]
        v = v if hard == resource.RLIM_INFINITY else min(v, hard)
        resource.setrlimit(r, (v, v))

    set_value(resource.RLIMIT_AS, MEMORY_LIMIT)
    set_value(resource.RLIMIT_FSIZE, FILE_LIMIT)
    set_value(resource.RLIMIT_NOFILE, OPEN_FILES_LIMIT)
    set_value(resource.RLIMIT_CORE, 0)
    set_value(resource.RLIMIT_CPU, cpu)
    if os.getuid() != 0:
        set_value(resource.RLIMIT_NPROC, len([d for d in os.listdir("/proc") if d.isdigit()]) + EXTRA_PROCESSES)


# Pure-Python standard-library containers whose methods read-modify-write shared state: a student's race
# hidden inside them (Counter.update on globals()) must be interleaved like the student's own code.
MODULES_TRACES = ("collections",)


def _tracing_rule(trust: dict[int, types.CodeType], scenario_codes: dict[int, types.CodeType],
                  traces: dict[int, types.CodeType], guard: Any) -> Any:
    """Which code the scheduler traces (the student's, and the library code races hide in), over frozen sets:
    the rule is reachable from student code, whose in-place edits to a table of it went unseen."""
    base = guard.trust if guard is not None else frozenset(trust)
    more, traced = frozenset(scenario_codes), frozenset(traces)
    return lambda c: (id(c) not in base and id(c) not in more) or id(c) in traced


def _execute(request: dict[str, Any], trust: dict[int, types.CodeType], guard: Any = None,
              traces: dict[int, types.CodeType] | None = None) -> dict[str, Any]:
    """Run one request in this (forked) worker; the evidence as plain data."""
    import cloudpickle

    from .probes import harness
    from .probes.proofs import execution_to_data
    from .probes.harness import LoadError
    scenario, substituts = cloudpickle.loads(base64.b64decode(request["charge"]))
    if request["op"] != "executer":  # harness.executer compiles first and raises the same error itself
        try:
            harness.compile_all(dict(request["cellules"]), request.get("principales"))
        except LoadError as e:
            return {"erreur_chargement": str(e)}
    # The grader's scenario and its helpers arrive by value: trusted, so never traced as student code.
    scenario_codes = trusted_codes([scenario, list((substituts or {}).values())])
    trust.update(scenario_codes)
    if guard is not None:
        guard.trust_more(scenario_codes)
    options = request.get("options", {})
    if traces is None:
        traces = trusted_codes([sys.modules[m] for m in MODULES_TRACES if m in sys.modules])
    if request["op"] == "executer":
        try:
            ex = harness.executer(dict(request["cellules"]), scenario, int(options.get("graine", 0)),
                                  globales=options.get("globales", ()), substituts=substituts,
                                  pas_max=int(options.get("pas_max", harness.DEFAULT_MAX_STEPS)),
                                  strategie=str(options.get("strategie", "collante")),
                                  main=request.get("principales"), references=request.get("references"),
                                  suivre=_tracing_rule(trust, scenario_codes, traces, guard), guard=guard)
        except LoadError as e:
            return {"erreur_chargement": str(e)}
        return execution_to_data(ex)
    # "reel": real threading/time/queue (or the reverse-completing pools), no scheduler; the same function as
    # in a student's own kernel.
    from .probes.api import _execute_real_here
    ex = _execute_real_here(dict(request["cellules"]), list(request.get("principales") or []),
                            request.get("references"), scenario, bool(options.get("factices")), substituts)
    return execution_to_data(ex)


def _watched() -> dict[str, Any]:
    """The objects whose attributes a run must not change: builtins, the stand-in modules, the probes."""
    import builtins
    objects: dict[str, Any] = {"builtins": builtins}
    for nom, m in list(sys.modules.items()):
        if nom.startswith("autograder") or nom in ("json", "threading", "queue", "time", "os", "cloudpickle"):
            objects[nom] = m
            for k, v in list(vars(m).items()):
                if isinstance(v, type) and getattr(v, "__module__", None) == nom:
                    objects[f"{nom}.{k}"] = v
    return objects


def _empreinte(objects: dict[str, Any]) -> dict[str, tuple[tuple, tuple]]:
    """Every attribute of each object, kept by identity (C-speed copies: this runs twice per request)."""
    return {nom: (tuple(vars(o)), tuple(vars(o).values())) for nom, o in objects.items()}


def _changes(avant: dict[str, tuple[tuple, tuple]], objects: dict[str, Any]) -> list[str]:
    """Names of the objects one of whose attributes was added, removed or replaced since ``avant``.

    Compared by identity, never with ``==``: a student's replacement object could claim equality.
    """
    changes = []
    for nom, (keys, valeurs) in avant.items():
        d = vars(objects[nom])
        if (len(d) != len(keys) or not all(map(operator.is_, keys, tuple(d)))
                or not all(map(operator.is_, valeurs, tuple(d.values())))):
            changes.append(nom)
    return sorted(changes)


# What os.fork() itself rebinds in the child (threading's at-fork hook resets its globals). Were another
# object changed by forking, every run would be reported as tampering (tests/test_jail.py checks the list).
CHANGED_BY_FORK = ("threading",)


def _travailleur(request: dict[str, Any], state: "State", fd_proof: int, fd_stacks: int) -> None:
    """The forked worker: never returns."""
    code = 0
    try:
        import faulthandler
        os.setsid()
        faulthandler.register(signal.SIGUSR1, file=os.fdopen(fd_stacks, "w", closefd=False), all_threads=True)
        _apply_limits(int(request.get("delai", 10)) + 5)
        import threading
        threading.stack_size(THREAD_STACK)
        # The server's fingerprint, refreshed for what forking itself changes: fingerprinting everything here
        # would touch (and copy, as the fork shares them) the pages of every watched object before the run.
        avant = dict(state.fingerprint)
        avant.update(_empreinte({nom: state.watched[nom] for nom in CHANGED_BY_FORK}))
        jeton = request.pop("jeton", "")
        guard = Guard(state.trusted_ids, os.path.dirname(os.path.abspath(__file__)))
        guard.install()  # from here on, student code cannot walk up to this frame's locals
        donnees = _execute(request, state.trust, guard, state.traces)
        changes = _changes(avant, state.watched)
        # Evidence of tampering: the deciding process fails the check and tells the TA.
        altered = guard.tampered_instruments()
        if guard.refus:
            donnees["alteration"] = guard.refus[0][:80]
        elif altered:
            donnees["alteration"] = altered[0]
        elif changes:
            donnees["alteration"] = changes[0]
        donnees["jeton"] = jeton
        line = json.dumps(donnees, ensure_ascii=False).encode("utf-8") + b"\n"
        while line:
            line = line[os.write(fd_proof, line):]
    except BaseException:  # noqa: BLE001 - the server reads a missing answer as a crash
        code = 70
    finally:
        os._exit(code)


def _balayer(me: int) -> None:
    """Kill every process of this PID namespace but its init and this server: nothing outlives a request."""
    for d in os.listdir("/proc"):
        if d.isdigit() and int(d) not in (1, me):
            try:
                os.kill(int(d), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG) == (0, 0):
                break
        except ChildProcessError:
            break


def _read_bound(fd: int, limit: int, deadline: float) -> tuple[bytes, bool]:
    """Bytes from ``fd`` until EOF, ``limite`` or ``echeance``; (data, reached EOF)."""
    pieces, size = [], 0
    while size <= limit:
        rest = deadline - time.monotonic()
        if rest <= 0:
            return b"".join(pieces), False
        ready, _, _ = select.select([fd], [], [], rest)
        if not ready:
            continue
        m = os.read(fd, 65536)
        if not m:
            return b"".join(pieces), True
        pieces.append(m)
        size += len(m)
    return b"".join(pieces)[:limit + 1], True


class State:
    """What the server computes once and every forked worker inherits: trust, traced library code, and the
    objects a run must not change."""

    def __init__(self, trust: dict[int, types.CodeType]) -> None:
        self.trust = trust
        self.trusted_ids = frozenset(trust)  # the audit hook's own copy (see Guard.trust)
        self.traces = trusted_codes([sys.modules[m] for m in MODULES_TRACES if m in sys.modules])
        self.watched = _watched()
        self.fingerprint = _empreinte(self.watched)


def serve(request: dict[str, Any], state: State, balayer: bool, close_all: tuple[int, ...] = ()) -> bytes:
    """One request: fork, wait within its deadline, relay the evidence; the response line."""
    r_proof, w_proof = os.pipe()
    r_stacks, w_stacks = os.pipe()
    pid = os.fork()
    if pid == 0:
        for fd in (r_proof, r_stacks, *close_all):  # the worker keeps no way to the jail's own channel
            os.close(fd)
        _travailleur(request, state, w_proof, w_stacks)
    os.close(w_proof)
    os.close(w_stacks)
    delai = max(0.5, float(request.get("delai", 10)))
    debut = time.monotonic()
    raw, finished = _read_bound(r_proof, PROOF_MAX, debut + max(0.2, delai - MARGIN_STACKS))
    if not finished:
        try:
            os.kill(pid, signal.SIGUSR1)  # faulthandler in the worker writes every thread's stack
        except ProcessLookupError:
            pass
        piles, _ = _read_bound(r_stacks, STACKS_MAX, time.monotonic() + 0.3)
        answer: dict[str, Any] = {"statut": "delai", "piles": piles[:STACKS_MAX].decode("utf-8", "replace")}
    else:
        answer = {}
    os.close(r_proof)
    os.close(r_stacks)
    try:
        os.kill(pid, signal.SIGKILL)
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        _, state = os.waitpid(pid, 0)
    except ChildProcessError:
        state = 0
    if balayer:  # only in a PID namespace of our own: elsewhere /proc lists the whole machine
        _balayer(os.getpid())
    if answer:
        return json.dumps(answer).encode("utf-8") + b"\n"
    if not raw.strip():
        detail = (f"signal {signal.Signals(os.WTERMSIG(state)).name}" if os.WIFSIGNALED(state)
                  else f"code de sortie {os.WEXITSTATUS(state)}")
        return json.dumps({"statut": "plantage", "detail": detail}).encode("utf-8") + b"\n"
    # Relayed as one JSON string (never spliced into the reply): the deciding process parses it with caps
    # and checks the request's nonce, which only the worker's own code put in.
    return json.dumps({"statut": "ok", "preuve": raw.decode("utf-8", "replace")}).encode("utf-8") + b"\n"


def main() -> None:
    """Serve requests until stdin closes."""
    balayer = "--espace-pid-propre" in sys.argv
    entry, output = os.dup(0), os.dup(1)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    sys.dont_write_bytecode = True
    # A process pool started with spawn/forkserver re-imports __main__ in each worker: give it a blank one.
    sys.modules["__main__"] = types.ModuleType("__main__")
    import importlib
    for nom in PRELOADED_MODULES:
        try:
            importlib.import_module(nom)
        except ImportError:
            pass
    trust = codes_existing()
    f = sys._getframe()
    while f is not None:  # the bootstrap's own frames (python -c ...) are below every run: trusted too
        trust[id(f.f_code)] = f.f_code
        f = f.f_back
    not_dumpable()
    state = State(trust)
    # Every worker is a fork of this process: objects moved out of the collector's reach are never written
    # by a worker's collections, so their pages stay shared instead of being copied on each run.
    gc.freeze()
    os.environ.clear()
    os.environ.update({"PATH": "/usr/bin:/bin", "HOME": os.getcwd(), "TMPDIR": os.getcwd(), "LANG": "C.UTF-8"})
    buffer = b""
    while True:
        while b"\n" not in buffer:
            m = os.read(entry, 1 << 20)
            if not m:
                return
            buffer += m
            if len(buffer) > LINE_MAX:
                return
        line, buffer = buffer.split(b"\n", 1)
        answer = serve(json.loads(line), state, balayer, (entry, output))
        while answer:
            answer = answer[os.write(output, answer):]


if __name__ == "__main__":
    main()
