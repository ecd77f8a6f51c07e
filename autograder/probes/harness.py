"""Run student cells and a scenario under the controlled scheduler; return what was observed."""
from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..processus import enfants, tuer
from .cycle import Cycle
from .espace import fabriquer_espace
from .hb import Course, Observateur
from .magies import sans_magies
from .scheduler import PAS_MAX_DEFAUT, Annulation, Ordonnanceur
from .run_context import RunContext
from .sortie import SortieBornee, resumer_exception
from .standin_modules import standin_modules


MSG_SYNTAXE = "Erreur de syntaxe dans la cellule « {grade_id} », ligne {ligne} : {erreur}. Corrigez-la puis réexécutez la cellule."

# What a run itself rebinds on its scheduler; every other attribute keeps its identity (see Garde.sceller).
VARIABLES_ORDONNANCEUR = ("pas", "horloge", "decalage", "_abandon", "courante", "interblocage", "epuise",
                          "erreur_interne", "chargement")


@dataclass
class Contexte:
    """What a scenario gets: the student's namespace and the run's instruments."""

    ns: dict[str, Any]
    ordonnanceur: Ordonnanceur
    cycle: Cycle
    observateur: Observateur
    threading: Any
    queue: Any
    time: Any

    def __getitem__(self, nom: str) -> Any:
        return self.ns[nom]

    def retour(self) -> None:
        """Mark the moment the function under test returned (threads alive then are noted)."""
        self.cycle.noter_retour()


@dataclass
class Execution:
    """Everything one seeded run observed."""

    graine: int
    valeur: Any = None
    exception: str | None = None
    exception_brute: BaseException | None = None
    type_exception: str | None = None      # class name of the exception: what graders outside a jail read
    message_exception: str | None = None
    interblocage: list[str] | None = None
    bloques_a_la_fin: list[str] | None = None
    attente_active: bool = False
    sortie: str = ""
    horodatage: list = field(default_factory=list)
    duree_virtuelle: float = 0.0
    pas: int = 0
    cycle: Cycle | None = None
    journal: list = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    erreur_interne: str | None = None
    processus_crees: int = 0
    exceptions_threads: list[tuple[str, str]] = field(default_factory=list)

    @property
    def propre(self) -> bool:
        return not (self.exception or self.interblocage or self.attente_active or self.erreur_interne)


class ErreurChargement(Exception):
    """A student cell could not even be compiled or executed at load time."""

    def __init__(self, cellule: str, message: str) -> None:
        super().__init__(message)
        self.cellule = cellule


def nom_fichier(grade_id: str) -> str:
    return f"<cellule {grade_id}>"


def compiler(grade_id: str, source: str) -> Any:
    """The cell's code object; a cell that is only invalid because of IPython magics gets them neutralized."""
    try:
        return compile(source, nom_fichier(grade_id), "exec", dont_inherit=True)
    except SyntaxError:
        pass
    try:
        return compile(sans_magies(source), nom_fichier(grade_id), "exec", dont_inherit=True)
    except SyntaxError as e:  # magics are valid in Jupyter: the error to report is the one left without them
        raise ErreurChargement(grade_id, MSG_SYNTAXE.format(grade_id=grade_id, ligne=e.lineno, erreur=e.msg)) from None


def compiler_tout(cellules: dict[str, str], principales: Iterable[str] | None) -> dict[str, Any]:
    """Every cell's code, in order; a cell that does not compile is skipped unless it is a principal one."""
    principales = None if principales is None else set(principales)
    codes = {}
    for gid, src in cellules.items():
        try:
            codes[gid] = compiler(gid, src)
        except ErreurChargement:
            if principales is None or gid in principales:
                raise
    return codes


def charger(codes: dict[str, Any], ns: dict[str, Any], principales: Iterable[str] | None) -> None:
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
            if principales is None or gid in principales:
                raise


def executer(cellules: dict[str, str], scenario: Callable[[Contexte], Any], graine: int = 0, *,
             globales: Iterable[str] = (), substituts: dict[str, Any] | None = None,
             pas_max: int = PAS_MAX_DEFAUT, strategie: str = "collante",
             principales: Iterable[str] | None = None, references: dict[str, str] | None = None,
             suivre: Callable[[Any], bool] | None = None, garde: Any = None) -> Execution:
    """Load ``cellules`` (in order) then ``references`` under fresh stand-ins, run ``scenario`` as T0.

    ``principales`` names the cells whose load failure is the check's (default: all). What happens while
    cells load (a trial call, its threads, its output, its virtual time) is forgotten before the scenario.
    """
    codes = compiler_tout(cellules, principales)
    codes_ref = {gid: compiler(gid, src) for gid, src in (references or {}).items()}
    obs = Observateur(set(globales))
    o = Ordonnanceur(graine, strategie=strategie, pas_max=pas_max, suivre=suivre, observateur=obs)
    t0 = o.demarrer_principale()
    cycle = Cycle(o)
    run = RunContext(o, obs, cycle)
    mods = standin_modules(run)
    if garde is not None:  # the jail's audit hook: unwinding threads clears their trace function
        detournees = _detournees(run, mods)
        garde.tolerer_trace = lambda: o._abandon
        garde.sceller({"ordonnanceur": (o, VARIABLES_ORDONNANCEUR), "observateur": (obs, ()),
                       "cycle": (cycle, ("verrous_crees", "vivants_au_retour")),
                       "contexte": (run, ("threads_named", "main_thread")),
                       **{f"module {nom}": (m, ()) for nom, m in mods.items()}},
                      controle=lambda: detournees() + run.tampered())
    ns = fabriquer_espace(mods)
    ns.update(substituts or {})
    # The scenario gets module objects of its own on the same run: a name the student rebinds in their
    # threading module never changes which Thread the grader starts (and the jail reports it as tampering).
    propres = standin_modules(run)
    ctx = Contexte(ns, o, cycle, obs, propres["threading"], propres["queue"], propres["time"])
    ex = Execution(graine=graine, cycle=cycle)
    avant = enfants()
    capture = SortieBornee(horloge=lambda: o.horloge)
    ancienne_sortie, ancienne_trace = sys.stdout, sys.gettrace()
    sys.stdout = capture
    phase = "chargement"
    try:
        # Loading: no tracing at all, and nothing of it is kept (see Ordonnanceur.fin_du_chargement).
        sys.settrace(None)
        o.chargement = True
        charger(codes, ns, principales)
        charger(codes_ref, ns, None)  # known-good versions replace the student's names after loading
        o.attendre(lambda: all(t.finie for t in o.taches[1:]), None, "la fin des threads lancés au chargement")
        o.fin_du_chargement()
        _oublier_chargement(cycle, obs)
        capture = SortieBornee(horloge=lambda: o.horloge)
        sys.stdout = capture
        sys.settrace(o.tracer)
        phase = "scenario"
        ex.valeur = scenario(ctx)
        phase = "fin"
        o.attendre(lambda: all(t.finie for t in o.taches[1:]), None, "la fin des threads restants")
        obs.vider(t0)
    except Annulation:
        pass
    except BaseException as e:  # noqa: BLE001 - student code may raise anything, SystemExit included
        if phase == "chargement":
            ex.exception = f"à l'exécution de la cellule : {resumer_exception(e, {**codes, **codes_ref})}"
        else:
            ex.exception = resumer_exception(e, codes)
        ex.exception_brute = e
        ex.type_exception = type(e).__name__
        ex.message_exception = str(e)[:1000]
    finally:
        sys.settrace(ancienne_trace)
        sys.stdout = ancienne_sortie
        o.fermer()
    if o.interblocage is not None:
        if phase == "fin":
            ex.bloques_a_la_fin = [ligne for ligne in o.interblocage if not ligne.startswith("T0 ")]
        else:
            ex.interblocage = o.interblocage
    nouveaux = enfants() - avant
    ex.processus_crees = len(nouveaux)
    tuer(nouveaux)
    ex.attente_active = o.epuise
    ex.erreur_interne = o.erreur_interne
    ex.sortie = capture.getvalue()
    ex.horodatage = capture.horodatage
    ex.duree_virtuelle = o.horloge
    ex.pas = o.pas
    ex.journal = obs.journal
    ex.courses = obs.courses
    ex.exceptions_threads = [(lib, resumer_exception(e, codes)) for lib, e in cycle.exceptions]
    return ex


def _detournees(run: RunContext, mods: dict[str, Any]) -> Callable[[], list[str]]:
    """A check that the objects behind the modules' functions (slotted: no ``vars`` to seal) still serve
    ``run``; they are collected now, before student code runs."""
    porteurs = {id(v.__self__): v.__self__ for m in mods.values() for v in vars(m).values()
                if isinstance(v, types.MethodType) and hasattr(v.__self__, "_run")}
    horloge = run.clock  # slotted too
    return lambda: ([f"fonctions {type(p).__name__}" for p in porteurs.values() if p._run is not run]
                    + (["horloge"] if horloge._scheduler is not run.scheduler or run.clock is not horloge else []))


def _oublier_chargement(cycle: Cycle, obs: Observateur) -> None:
    """Drop what threads started while loading did: it is never charged to a check."""
    cycle.threads.clear()
    cycle.evenements.clear()
    cycle.exceptions.clear()
    cycle.files.clear()
    cycle.vivants_au_retour.clear()
    for preneurs in cycle.preneurs_verrous:  # locks made at load stay; who took them while loading does not
        preneurs.clear()
    obs.journal.clear()
    obs.courses.clear()
    obs._etats.clear()
    obs._en_attente.clear()
