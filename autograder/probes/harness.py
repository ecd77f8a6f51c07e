"""Run student cells and a scenario under the controlled scheduler; return what was observed."""
from __future__ import annotations

import sys
import threading as _rt_threading
import types
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..process import children, kill_tree
from .cycle import Cycle
from .space import build_space
from .hb import Race, Observer
from .magics import without_magics
from .scheduler import DEFAULT_MAX_STEPS, Annulation, Scheduler
from .run_context import RunContext
from .output import BoundedOutput, summarize_exception
from .standin_modules import standin_modules


MSG_SYNTAXE = "Erreur de syntaxe dans la cellule « {grade_id} », ligne {ligne} : {erreur}. Corrigez-la puis réexécutez la cellule."

# What a run itself rebinds on its scheduler; every other attribute keeps its identity (see Garde.sceller).
SCHEDULER_VARIABLES = ("pas", "horloge", "offset", "_abandon", "current", "interblocage", "exhausted",
                          "erreur_interne", "chargement")


@dataclass
class RunRequest:
    """What a scenario gets: the student's namespace and the run's instruments."""

    ns: dict[str, Any]
    ordonnanceur: Scheduler
    cycle: Cycle
    observateur: Observer
    threading: Any
    queue: Any
    time: Any

    def __getitem__(self, nom: str) -> Any:
        return self.ns[nom]

    def retour(self) -> None:
        """Mark the moment the function under test returned (threads alive then are noted)."""
        self.cycle.grade_return()


@dataclass
class Execution:
    """Everything one seeded run observed."""

    seed: int
    valeur: Any = None
    exception: str | None = None
    raw_exception: BaseException | None = None
    type_exception: str | None = None      # class name of the exception: what graders outside a jail read
    message_exception: str | None = None
    interblocage: list[str] | None = None
    bloques_a_la_fin: list[str] | None = None
    attente_active: bool = False
    output: str = ""
    horodatage: list = field(default_factory=list)
    duree_virtuelle: float = 0.0
    pas: int = 0
    cycle: Cycle | None = None
    journal: list = field(default_factory=list)
    courses: list[Race] = field(default_factory=list)
    erreur_interne: str | None = None
    processus_crees: int = 0
    exceptions_threads: list[tuple[str, str]] = field(default_factory=list)

    @property
    def own(self) -> bool:
        return not (self.exception or self.interblocage or self.attente_active or self.erreur_interne)


class LoadError(Exception):
    """A student cell could not even be compiled or executed at load time."""

    def __init__(self, cell: str, message: str) -> None:
        super().__init__(message)
        self.cell = cell


def file_name(grade_id: str) -> str:
    return f"<cellule {grade_id}>"


def compiler(grade_id: str, source: str) -> Any:
    """The cell's code object; a cell that is only invalid because of IPython magics gets them neutralized."""
    try:
        return compile(source, file_name(grade_id), "exec", dont_inherit=True)
    except SyntaxError:
        pass
    try:
        return compile(without_magics(source), file_name(grade_id), "exec", dont_inherit=True)
    except SyntaxError as e:  # magics are valid in Jupyter: the error to report is the one left without them
        raise LoadError(grade_id, MSG_SYNTAXE.format(grade_id=grade_id, ligne=e.lineno, erreur=e.msg)) from None


def compile_all(cellules: dict[str, str], main: Iterable[str] | None) -> dict[str, Any]:
    """Every cell's code, in order; a cell that does not compile is skipped unless it is a principal one."""
    main = None if main is None else set(main)
    codes = {}
    for gid, src in cellules.items():
        try:
            codes[gid] = compiler(gid, src)
        except LoadError:
            if main is None or gid in main:
                raise
    return codes


def load(codes: dict[str, Any], ns: dict[str, Any], main: Iterable[str] | None) -> None:
    """Run the cells' top-level code in order; only a failure in a ``principales`` cell is raised.

    As in Jupyter under nbgrader (which goes on after a failing cell), a broken cell of another task leaves
    the names it defined before failing; the task under test only fails for its own cells.
    """
    for gid, code in codes.items():
        try:
            exec(code, ns)
        except Annulation:
            raise
        except BaseException:  # noqa: BLE001 - student code may raise anything, SystemExit included
            if main is None or gid in main:
                raise


def executer(cellules: dict[str, str], scenario: Callable[[RunRequest], Any], seed: int = 0, *,
             globales: Iterable[str] = (), substituts: dict[str, Any] | None = None,
             pas_max: int = DEFAULT_MAX_STEPS, strategie: str = "collante",
             main: Iterable[str] | None = None, references: dict[str, str] | None = None,
             suivre: Callable[[Any], bool] | None = None, guard: Any = None) -> Execution:
    """Load ``cellules`` (in order) then ``references`` under fresh stand-ins, run ``scenario`` as T0.

    ``principales`` names the cells whose load failure is the check's (default: all). What happens while
    cells load (a trial call, its threads, its output, its virtual time) is forgotten before the scenario.
    """
    codes = compile_all(cellules, main)
    codes_ref = {gid: compiler(gid, src) for gid, src in (references or {}).items()}
    obs = Observer(set(globales))
    o = Scheduler(seed, strategie=strategie, pas_max=pas_max, suivre=suivre, observateur=obs)
    t0 = o.start_main()
    cycle = Cycle(o)
    run = RunContext(o, obs, cycle)
    mods = standin_modules(run)
    if guard is not None:  # the jail's audit hook: unwinding threads clears their trace function
        hijacked = _hijacked(run, mods)
        guard.tolerate_trace = lambda: o._abandon
        guard.seal({"ordonnanceur": (o, SCHEDULER_VARIABLES), "observateur": (obs, ()),
                       "cycle": (cycle, ("verrous_crees", "vivants_au_retour")),
                       "contexte": (run, ("threads_named", "main_thread")),
                       **{f"module {nom}": (m, ()) for nom, m in mods.items()}},
                      control=lambda: hijacked() + run.tampered())
    ns = build_space(mods)
    ns.update(substituts or {})
    # The scenario gets module objects of its own on the same run: a name the student rebinds in their
    # threading module never changes which Thread the grader starts (and the jail reports it as tampering).
    own_items = standin_modules(run)
    ctx = RunRequest(ns, o, cycle, obs, own_items["threading"], own_items["queue"], own_items["time"])
    ex = Execution(seed=seed, cycle=cycle)
    avant = children()
    capture = BoundedOutput(horloge=lambda: o.horloge)
    old_output, old_trace = sys.stdout, sys.gettrace()
    sys.stdout = capture
    phase = "chargement"
    restore_threads = _only_scheduler_threads(o, guard) if guard is not None else (lambda: None)
    try:
        # Loading: no tracing at all, and nothing of it is kept (see Ordonnanceur.fin_du_chargement).
        sys.settrace(None)
        o.chargement = True
        load(codes, ns, main)
        load(codes_ref, ns, None)  # known-good versions replace the student's names after loading
        o.attendre(lambda: all(t.finished for t in o.taches[1:]), None, "la fin des threads lancés au chargement")
        o.end_of_loading()
        _forget_loading(cycle, obs)
        capture = BoundedOutput(horloge=lambda: o.horloge)
        sys.stdout = capture
        sys.settrace(o.tracer)
        phase = "scenario"
        ex.valeur = scenario(ctx)
        phase = "fin"
        o.attendre(lambda: all(t.finished for t in o.taches[1:]), None, "la fin des threads restants")
        obs.empty(t0)
    except Annulation:
        pass
    except BaseException as e:  # noqa: BLE001 - student code may raise anything, SystemExit included
        if phase == "chargement":
            ex.exception = f"à l'exécution de la cellule : {summarize_exception(e, {**codes, **codes_ref})}"
        else:
            ex.exception = summarize_exception(e, codes)
        ex.raw_exception = e
        ex.type_exception = type(e).__name__
        ex.message_exception = str(e)[:1000]
    finally:
        sys.settrace(old_trace)
        sys.stdout = old_output
        restore_threads()
        o.close_all()
    if o.interblocage is not None:
        if phase == "fin":
            ex.bloques_a_la_fin = [line for line in o.interblocage if not line.startswith("T0 ")]
        else:
            ex.interblocage = o.interblocage
    new = children() - avant
    ex.processus_crees = len(new)
    kill_tree(new)
    ex.attente_active = o.exhausted
    ex.erreur_interne = o.erreur_interne
    ex.output = capture.getvalue()
    ex.horodatage = capture.horodatage
    ex.duree_virtuelle = o.horloge
    ex.pas = o.pas
    ex.journal = obs.journal
    ex.courses = obs.courses
    ex.exceptions_threads = [(lib, summarize_exception(e, codes)) for lib, e in cycle.exceptions]
    return ex


def _hijacked(run: RunContext, mods: dict[str, Any]) -> Callable[[], list[str]]:
    """A check that the objects behind the modules' functions (slotted: no ``vars`` to seal) still serve
    ``run``; they are collected now, before student code runs."""
    carriers = {id(v.__self__): v.__self__ for m in mods.values() for v in vars(m).values()
                if isinstance(v, types.MethodType) and hasattr(v.__self__, "_run")}
    horloge = run.clock  # slotted too
    return lambda: ([f"fonctions {type(p).__name__}" for p in carriers.values() if p._run is not run]
                    + (["horloge"] if horloge._scheduler is not run.scheduler or run.clock is not horloge else []))


MSG_REAL_THREAD = ("Votre code démarre un thread hors du module threading (par _thread, ou par une bibliothèque "
                   "comme multiprocessing) : pendant la correction, seuls les threads de threading (Thread, "
                   "ThreadPoolExecutor) sont pris en charge. Utilisez threading.Thread.")


def _only_scheduler_threads(o: Scheduler, guard: Any) -> Callable[[], None]:
    """In the jail, a scheduled run may start only the scheduler's own OS threads: a thread started through
    ``_thread`` or a real ``threading`` reached some other way would run the student's code untraced and
    uninterleaved (an unlocked counter would never lose an update). Refused with a French error in the
    student's code. Returns what puts the real functions back."""
    import _thread

    real_start = _thread.start_new_thread
    saved = (_thread.start_new_thread, _thread.start_new, _rt_threading._start_new_thread)

    def start_new_thread(function: Any, args: tuple, kwargs: Any = None) -> int:
        if id(getattr(function, "__self__", None)) not in o.real_thread_ids:
            from .space import AccesInterdit
            raise AccesInterdit(MSG_REAL_THREAD)
        return real_start(function, args) if kwargs is None else real_start(function, args, kwargs)

    _thread.start_new_thread = _thread.start_new = _rt_threading._start_new_thread = start_new_thread

    def restore() -> None:
        _thread.start_new_thread, _thread.start_new, _rt_threading._start_new_thread = saved
    return restore


def _forget_loading(cycle: Cycle, obs: Observer) -> None:
    """Drop what threads started while loading did: it is never charged to a check."""
    cycle.threads.clear()
    cycle.evenements.clear()
    cycle.exceptions.clear()
    cycle.files.clear()
    cycle.vivants_au_retour.clear()
    for takers in cycle.preneurs_verrous:  # locks made at load stay; who took them while loading does not
        takers.clear()
    obs.journal.clear()
    obs.courses.clear()
    obs._states.clear()
    obs._waiting.clear()
