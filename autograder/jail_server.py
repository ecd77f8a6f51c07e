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

from .garde import Garde

LIGNE_MAX = 8 * 1024 ** 2        # bytes of one request
PREUVE_MAX = 4 * 1024 ** 2       # bytes of one worker's evidence relayed out
PILES_MAX = 64 * 1024            # bytes of stack dump relayed out
LIMITE_MEMOIRE = 2 * 1024 ** 3   # address space of a worker: a 12 GiB allocation fails with MemoryError
LIMITE_FICHIER = 32 * 1024 ** 2
LIMITE_FICHIERS_OUVERTS = 256
PROCESSUS_EN_PLUS = 64
PILE_THREAD = 512 * 1024
MARGE_PILES = 0.5                # real seconds before the deadline at which a hung worker is asked for stacks
# Imported before the trusted-code walk, so that their code is never traced as the student's.
MODULES_PRECHARGES = ("threading", "queue", "time", "json", "random", "math", "collections", "itertools",
                      "functools", "dataclasses", "typing", "re", "string", "statistics", "operator", "copy",
                      "concurrent.futures", "concurrent.futures.thread", "concurrent.futures.process",
                      "multiprocessing", "multiprocessing.pool", "multiprocessing.synchronize", "enum",
                      "traceback", "linecache", "textwrap", "heapq", "bisect", "contextlib", "weakref",
                      "faulthandler", "cloudpickle", "autograder.probes.api", "autograder.probes.harness",
                      "autograder.probes.verdicts", "autograder.probes.futures_factices",
                      "autograder.probes.calculs", "autograder.probes.preuves", "autograder.probes.espace")


def codes_de_confiance(racines: list[Any]) -> dict[int, types.CodeType]:
    """id -> code object of every function reachable from ``racines`` (modules, classes, functions).

    The code objects are kept alive in the mapping, so an id is never reused by student code.
    """
    vus: dict[int, types.CodeType] = {}
    objets_vus: set[int] = set()

    def code(c: types.CodeType) -> None:
        if id(c) in vus:
            return
        vus[id(c)] = c
        for k in c.co_consts:
            if isinstance(k, types.CodeType):
                code(k)

    def visiter(o: Any, profondeur: int) -> None:
        # Modules, classes and functions are followed whatever the depth (the seen-set ends cycles): a
        # depth cut would mark a class seen on a long path and skip it on the short one.
        if id(o) in objets_vus:
            return
        if isinstance(o, (staticmethod, classmethod)):
            o = o.__func__
        if isinstance(o, types.FunctionType):
            objets_vus.add(id(o))
            code(o.__code__)
            for cell in o.__closure__ or ():
                try:
                    visiter(cell.cell_contents, profondeur + 1)
                except ValueError:
                    pass
            if not isinstance(sys.modules.get(o.__module__ or ""), types.ModuleType):
                # Shipped by value (a hidden grader's helper): its globals are its own small dict.
                for v in list(o.__globals__.values()):
                    visiter(v, profondeur + 1)
        elif isinstance(o, property):
            objets_vus.add(id(o))
            for f in (o.fget, o.fset, o.fdel):
                if f is not None:
                    visiter(f, profondeur + 1)
        elif isinstance(o, (type, types.ModuleType)):
            objets_vus.add(id(o))
            for v in list(vars(o).values()):
                visiter(v, profondeur + 1)
        elif isinstance(o, (tuple, list)) and profondeur < 4:
            objets_vus.add(id(o))
            for v in o:
                visiter(v, profondeur + 1)

    for r in racines:
        visiter(r, 0)
    return vus


def codes_existants() -> dict[int, types.CodeType]:
    """id -> code object of every function alive in this process, and of the code nested in them.

    Called before any student code is loaded, so everything alive is trusted. It finds a superset of what a
    walk from the modules finds (closures, lambdas in defaults...) in a quarter of the time: the jail
    server starts once per submission.
    """
    vus: dict[int, types.CodeType] = {}
    pile = [o.__code__ for o in gc.get_objects() if type(o) is types.FunctionType]
    while pile:
        c = pile.pop()
        if id(c) not in vus:
            vus[id(c)] = c
            pile.extend(k for k in c.co_consts if type(k) is types.CodeType)
    return vus


def _appliquer_limites(cpu: int) -> None:
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
        fixer(resource.RLIMIT_NPROC, len([d for d in os.listdir("/proc") if d.isdigit()]) + PROCESSUS_EN_PLUS)


# Pure-Python standard-library containers whose methods read-modify-write shared state: a student's race
# hidden inside them (Counter.update on globals()) must be interleaved like the student's own code.
MODULES_TRACES = ("collections",)


def _executer(requete: dict[str, Any], confiance: dict[int, types.CodeType], garde: Any = None,
              traces: dict[int, types.CodeType] | None = None) -> dict[str, Any]:
    """Run one request in this (forked) worker; the evidence as plain data."""
    import cloudpickle

    from .probes import harness
    from .probes.preuves import execution_vers_donnees
    from .probes.harness import ErreurChargement
    scenario, substituts = cloudpickle.loads(base64.b64decode(requete["charge"]))
    if requete["op"] != "executer":  # harness.executer compiles first and raises the same error itself
        try:
            harness.compiler_tout(dict(requete["cellules"]), requete.get("principales"))
        except ErreurChargement as e:
            return {"erreur_chargement": str(e)}
    # The grader's scenario and its helpers arrive by value: trusted, so never traced as student code.
    confiance.update(codes_de_confiance([scenario, list((substituts or {}).values())]))
    options = requete.get("options", {})
    if traces is None:
        traces = codes_de_confiance([sys.modules[m] for m in MODULES_TRACES if m in sys.modules])
    if requete["op"] == "executer":
        try:
            ex = harness.executer(dict(requete["cellules"]), scenario, int(options.get("graine", 0)),
                                  globales=options.get("globales", ()), substituts=substituts,
                                  pas_max=int(options.get("pas_max", harness.PAS_MAX_DEFAUT)),
                                  strategie=str(options.get("strategie", "collante")),
                                  principales=requete.get("principales"), references=requete.get("references"),
                                  suivre=lambda c: id(c) not in confiance or id(c) in traces, garde=garde)
        except ErreurChargement as e:
            return {"erreur_chargement": str(e)}
        return execution_vers_donnees(ex)
    # "reel": real threading/time/queue (or the reverse-completing pools), no scheduler; the same function as
    # in a student's own kernel.
    from .probes.api import _executer_reel_ici
    ex = _executer_reel_ici(dict(requete["cellules"]), list(requete.get("principales") or []),
                            requete.get("references"), scenario, bool(options.get("factices")), substituts)
    return execution_vers_donnees(ex)


def _surveilles() -> dict[str, Any]:
    """The objects whose attributes a run must not change: builtins, the stand-in modules, the probes."""
    import builtins
    objets: dict[str, Any] = {"builtins": builtins}
    for nom, m in list(sys.modules.items()):
        if nom.startswith("autograder") or nom in ("json", "threading", "queue", "time", "os", "cloudpickle"):
            objets[nom] = m
            for k, v in list(vars(m).items()):
                if isinstance(v, type) and getattr(v, "__module__", None) == nom:
                    objets[f"{nom}.{k}"] = v
    return objets


def _empreinte(objets: dict[str, Any]) -> dict[str, tuple[tuple, tuple]]:
    """Every attribute of each object, kept by identity (C-speed copies: this runs twice per request)."""
    return {nom: (tuple(vars(o)), tuple(vars(o).values())) for nom, o in objets.items()}


def _changes(avant: dict[str, tuple[tuple, tuple]], objets: dict[str, Any]) -> list[str]:
    """Names of the objects one of whose attributes was added, removed or replaced since ``avant``.

    Compared by identity, never with ``==``: a student's replacement object could claim equality.
    """
    changes = []
    for nom, (cles, valeurs) in avant.items():
        d = vars(objets[nom])
        if (len(d) != len(cles) or not all(map(operator.is_, cles, tuple(d)))
                or not all(map(operator.is_, valeurs, tuple(d.values())))):
            changes.append(nom)
    return sorted(changes)


def _travailleur(requete: dict[str, Any], etat: "Etat", fd_preuve: int, fd_piles: int) -> None:
    """The forked worker: never returns."""
    code = 0
    try:
        import faulthandler
        os.setsid()
        faulthandler.register(signal.SIGUSR1, file=os.fdopen(fd_piles, "w", closefd=False), all_threads=True)
        _appliquer_limites(int(requete.get("delai", 10)) + 5)
        import threading
        threading.stack_size(PILE_THREAD)
        avant = _empreinte(etat.surveilles)  # after the fork: forking itself rebinds threading's globals
        jeton = requete.pop("jeton", "")
        garde = Garde(etat.confiance, os.path.dirname(os.path.abspath(__file__)))
        garde.installer()  # from here on, student code cannot walk up to this frame's locals
        donnees = _executer(requete, etat.confiance, garde, etat.traces)
        changes = _changes(avant, etat.surveilles)
        # Evidence of tampering: the deciding process fails the check and tells the TA.
        alteres = garde.instruments_alteres()
        if garde.refus:
            donnees["alteration"] = garde.refus[0][:80]
        elif alteres:
            donnees["alteration"] = alteres[0]
        elif changes:
            donnees["alteration"] = changes[0]
        donnees["jeton"] = jeton
        ligne = json.dumps(donnees, ensure_ascii=False).encode("utf-8") + b"\n"
        while ligne:
            ligne = ligne[os.write(fd_preuve, ligne):]
    except BaseException:  # noqa: BLE001 - the server reads a missing answer as a crash
        code = 70
    finally:
        os._exit(code)


def _balayer(moi: int) -> None:
    """Kill every process of this PID namespace but its init and this server: nothing outlives a request."""
    for d in os.listdir("/proc"):
        if d.isdigit() and int(d) not in (1, moi):
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


def _lire_borne(fd: int, limite: int, echeance: float) -> tuple[bytes, bool]:
    """Bytes from ``fd`` until EOF, ``limite`` or ``echeance``; (data, reached EOF)."""
    morceaux, taille = [], 0
    while taille <= limite:
        reste = echeance - time.monotonic()
        if reste <= 0:
            return b"".join(morceaux), False
        prets, _, _ = select.select([fd], [], [], reste)
        if not prets:
            continue
        m = os.read(fd, 65536)
        if not m:
            return b"".join(morceaux), True
        morceaux.append(m)
        taille += len(m)
    return b"".join(morceaux)[:limite + 1], True


class Etat:
    """What the server computes once and every forked worker inherits: trust, traced library code, and the
    objects a run must not change."""

    def __init__(self, confiance: dict[int, types.CodeType]) -> None:
        self.confiance = confiance
        self.traces = codes_de_confiance([sys.modules[m] for m in MODULES_TRACES if m in sys.modules])
        self.surveilles = _surveilles()


def servir(requete: dict[str, Any], etat: Etat, balayer: bool, fermer: tuple[int, ...] = ()) -> bytes:
    """One request: fork, wait within its deadline, relay the evidence; the response line."""
    r_preuve, w_preuve = os.pipe()
    r_piles, w_piles = os.pipe()
    pid = os.fork()
    if pid == 0:
        for fd in (r_preuve, r_piles, *fermer):  # the worker keeps no way to the jail's own channel
            os.close(fd)
        _travailleur(requete, etat, w_preuve, w_piles)
    os.close(w_preuve)
    os.close(w_piles)
    delai = max(0.5, float(requete.get("delai", 10)))
    debut = time.monotonic()
    brut, fini = _lire_borne(r_preuve, PREUVE_MAX, debut + max(0.2, delai - MARGE_PILES))
    if not fini:
        try:
            os.kill(pid, signal.SIGUSR1)  # faulthandler in the worker writes every thread's stack
        except ProcessLookupError:
            pass
        piles, _ = _lire_borne(r_piles, PILES_MAX, time.monotonic() + 0.3)
        reponse: dict[str, Any] = {"statut": "delai", "piles": piles[:PILES_MAX].decode("utf-8", "replace")}
    else:
        reponse = {}
    os.close(r_preuve)
    os.close(r_piles)
    try:
        os.kill(pid, signal.SIGKILL)
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        _, etat = os.waitpid(pid, 0)
    except ChildProcessError:
        etat = 0
    if balayer:  # only in a PID namespace of our own: elsewhere /proc lists the whole machine
        _balayer(os.getpid())
    if reponse:
        return json.dumps(reponse).encode("utf-8") + b"\n"
    if not brut.strip():
        detail = (f"signal {signal.Signals(os.WTERMSIG(etat)).name}" if os.WIFSIGNALED(etat)
                  else f"code de sortie {os.WEXITSTATUS(etat)}")
        return json.dumps({"statut": "plantage", "detail": detail}).encode("utf-8") + b"\n"
    # Relayed as one JSON string (never spliced into the reply): the deciding process parses it with caps
    # and checks the request's nonce, which only the worker's own code put in.
    return json.dumps({"statut": "ok", "preuve": brut.decode("utf-8", "replace")}).encode("utf-8") + b"\n"


def main() -> None:
    """Serve requests until stdin closes."""
    balayer = "--espace-pid-propre" in sys.argv
    entree, sortie = os.dup(0), os.dup(1)
    nul = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(nul, fd)
    sys.dont_write_bytecode = True
    # A process pool started with spawn/forkserver re-imports __main__ in each worker: give it a blank one.
    sys.modules["__main__"] = types.ModuleType("__main__")
    import importlib
    for nom in MODULES_PRECHARGES:
        try:
            importlib.import_module(nom)
        except ImportError:
            pass
    confiance = codes_existants()
    f = sys._getframe()
    while f is not None:  # the bootstrap's own frames (python -c ...) are below every run: trusted too
        confiance[id(f.f_code)] = f.f_code
        f = f.f_back
    etat = Etat(confiance)
    # Every worker is a fork of this process: objects moved out of the collector's reach are never written
    # by a worker's collections, so their pages stay shared instead of being copied on each run.
    gc.freeze()
    os.environ.clear()
    os.environ.update({"PATH": "/usr/bin:/bin", "HOME": os.getcwd(), "TMPDIR": os.getcwd(), "LANG": "C.UTF-8"})
    tampon = b""
    while True:
        while b"\n" not in tampon:
            m = os.read(entree, 1 << 20)
            if not m:
                return
            tampon += m
            if len(tampon) > LIGNE_MAX:
                return
        ligne, tampon = tampon.split(b"\n", 1)
        reponse = servir(json.loads(ligne), etat, balayer, (entree, sortie))
        while reponse:
            reponse = reponse[os.write(sortie, reponse):]


if __name__ == "__main__":
    main()
