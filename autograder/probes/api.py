"""What a hidden grader receives: the student's cells, ways to run them, and Echec for a failed check."""
from __future__ import annotations

import sys
from typing import Any, Callable, Iterable

from ..results import Incident
from .dependencies import LOCKED_PREFIX, defined_names, seen_cells
from .space import MSG_IMPORT_INTERDIT, AccesInterdit, build_space
from .harness import LoadError, Execution, compiler, executer
from .output import summarize_exception

MSG_MISSING_CELL = ("La cellule « {gid} » est introuvable dans votre notebook (supprimée, ou son identifiant "
                         "a changé) : reprenez-la depuis la version distribuée et complétez-la.")
MSG_NON_IMPLEMENTE = ("{quoi} n'est pas encore implémenté (NotImplementedError) : remplacez "
                      "« raise NotImplementedError() » par votre code.")
MSG_EXCEPTION = "{quoi} a levé une exception inattendue : {exception}."


def safe_value(v: Any) -> Any:
    """``v`` if it is a plain value, else a description: a student object never takes part in a comparison."""
    if type(v) in (int, float, bool, str, type(None)):
        return v
    if type(v) in (tuple, list):
        return type(v)(safe_value(x) for x in v)
    return f"<objet {type(v).__name__}>"


class CheckFailed(AssertionError):
    """A failed check; its text is shown to the student as is (French, actionable)."""


class TimeoutExceeded(CheckFailed):
    """A run of the student's code went past the task's real-time limit: the rest of the task is not run."""


MSG_TIMEOUT = ("La correction de « {tache} » a dépassé {delai:g} s et a été arrêtée : cherchez une boucle sans fin, "
             "un thread jamais terminé ou une attente sans délai.")
MSG_PILES = "État des threads au moment de l'arrêt :\n{piles}"
MSG_ARRET_BRUTAL = ("L'exécution de votre code s'est arrêtée brutalement ({detail}) : votre code a quitté Python "
                "(os._exit, signal, mémoire épuisée ?). Retirez ce qui termine le programme.")
MSG_PREUVE_INVALIDE = ("La correction a reçu des données invalides de l'exécution de votre code ({detail}) : votre code ne "
             "doit pas écrire dans les canaux internes du correcteur.")
MSG_ALTERATION = ("Votre code a modifié l'environnement de correction ({quoi}) : c'est interdit, cette vérification "
                  "vaut 0 et l'équipe du cours en est informée. Retirez ce qui modifie builtins, threading, time "
                  "ou les modules du correcteur.")
# Refused imports that only make sense to reach the grader's internals: reported to the TA as tampering.
INTERNAL_MODULES = ("_pytest", "pytest", "pluggy", "autograder", "ctypes", "gc", "inspect", "faulthandler",
                    "signal", "resource", "marshal", "pickle", "importlib", "code", "codeop")


def student_lines(piles: str, limit: int = 8) -> list[str]:
    """The lines of a stack dump that point into the student's cells (bounded)."""
    lignes = [line.strip()[:200] for line in piles.splitlines() if "<cellule " in line]
    return lignes[-limit:]


class Submission:
    """The submitted notebook's cells, and ways to run them: in this process, or in a jail."""

    def __init__(self, cellules: dict[str, str], order: dict[str, str] | None = None, running_jail: Any = None,
                 task: str = "", budget: Callable[[], float] | None = None,
                 report: Callable[[Incident], None] | None = None) -> None:
        """``cellules``: answer cells by grade_id; ``ordre``: every cell a task's code sees, in notebook order
        (the instructor's locked code cells and the answer cells); ``prison``: a jail.Prison, or None to run
        here; ``budget``: real seconds left for the task; ``signaler``: reports an incident to the TA."""
        self.cellules = dict(cellules)
        self.order = dict(order) if order is not None else dict(cellules)
        self.running_jail = running_jail
        self.task = task
        self.budget = budget or (lambda: 30.0)
        self.report = report or (lambda genre: None)
        # Per submission, never shared: the cells a task sees (an AST walk) are the same for every seed, and a
        # check asks for up to 40 seeds.
        self._views: dict[tuple, dict[str, str]] = {}

    def source(self, gid: str) -> str:
        if gid not in self.cellules:
            raise CheckFailed(MSG_MISSING_CELL.format(gid=gid))
        return self.cellules[gid]

    def _to_load(self, gids: Iterable[str], references: dict[str, str] | None) -> dict[str, str]:
        gids = list(gids)
        for gid in gids:
            self.source(gid)
        key_name = (tuple(gids), tuple(sorted(references or {})))
        if key_name not in self._views:
            self._views[key_name] = self._seen_cells(gids, references)
        return dict(self._views[key_name])

    def _seen_cells(self, gids: list[str], references: dict[str, str] | None) -> dict[str, str]:
        order = {g: s for g, s in self.order.items() if g in self.cellules or g.startswith(LOCKED_PREFIX)}
        for gid in gids:  # a task's own cells always load, even when the order given lacks them
            order.setdefault(gid, self.cellules[gid])
        provided = frozenset().union(*(defined_names(r) for r in (references or {}).values()))
        return seen_cells(order, gids, set(references or {}) - set(gids), provided)

    def executer(self, gids: Iterable[str], scenario: Callable, seed: int = 0, *,
                 references: dict[str, str] | None = None, **options: Any) -> Execution:
        """One seeded run; ``references`` are known-good cells loaded after the student's (they replace names)."""
        gids = list(gids)
        cellules = self._to_load(gids, references)
        if self.running_jail is None:
            try:
                return executer(cellules, scenario, seed, main=gids, references=references, **options)
            except LoadError as e:
                raise CheckFailed(str(e)) from None
        substituts = options.pop("substituts", None)
        proof = self._ask("executer", cellules, gids, references, scenario, substituts,
                                {"graine": seed, **{k: (list(v) if k == "globales" else v)
                                                      for k, v in options.items()}})
        if "erreur_chargement" in proof:
            raise CheckFailed(str(proof["erreur_chargement"])[:2000])
        ex = self._read_execution(proof)
        return ex

    def execute_real(self, gids: Iterable[str], scenario: Callable, *, references: dict[str, str] | None = None,
                      fake: bool = False, substituts: dict[str, Any] | None = None) -> Execution:
        """Load cells with real threading/time/queue (real threads or processes) and call ``scenario(ns)``;
        with ``factices``, concurrent.futures and multiprocessing pools complete in reverse order."""
        gids = list(gids)
        cellules = self._to_load(gids, references)
        if self.running_jail is None:
            return _execute_real_here(cellules, gids, references, scenario, fake, substituts)
        return self._read_execution(self._ask("reel", cellules, gids, references, scenario, substituts,
                                                   {"factices": fake}))

    def load_real(self, gids: Iterable[str], references: dict[str, str] | None = None,
                     modules: dict[str, Any] | None = None) -> dict[str, Any]:
        """In this process only (a student's own kernel): load cells with real threading/time/queue,
        ``modules`` replacing others, and return the namespace. Graders use ``executer_reel``."""
        if self.running_jail is not None:
            raise RuntimeError("charger_reel runs student code here: use executer_reel with a jail")
        from .harness import load, compile_all
        gids = list(gids)
        cellules = self._to_load(gids, references)
        ns = build_space(modules or {})
        try:
            load(compile_all(cellules, gids), ns, gids)
            load(compile_all(references or {}, None), ns, None)
        except LoadError as e:
            raise CheckFailed(str(e)) from None
        except NotImplementedError:
            raise CheckFailed(MSG_NON_IMPLEMENTE.format(quoi=gids[0] if gids else "")) from None
        except AccesInterdit as e:
            raise CheckFailed(str(e)) from None
        except BaseException as e:  # noqa: BLE001
            raise CheckFailed(f"La cellule « {gids[0] if gids else ''} » plante à l'exécution : "
                        f"{summarize_exception(e)}.") from None
        return ns

    # -- the jail round trip -----------------------------------------------------------------------
    def _ask(self, op: str, cellules: dict[str, str], gids: list[str], references: dict[str, str] | None,
                  scenario: Callable, substituts: dict[str, Any] | None, options: dict[str, Any]) -> dict:
        import base64

        import cloudpickle

        from ..jail import JailStatus, JailBroken
        module = sys.modules.get(getattr(scenario, "__module__", "") or "")
        if module is not None and not module.__name__.startswith("autograder"):
            # A hidden grader is not importable in the jail: its scenario and helpers travel by value.
            cloudpickle.register_pickle_by_value(module)
        # Pickled for every request: a scenario may read closure variables the grader changes between seeds.
        charge = base64.b64encode(cloudpickle.dumps((scenario, substituts))).decode("ascii")
        request = {"op": op, "cellules": cellules, "principales": gids, "references": references or {},
                   "options": options, "charge": charge}
        delai = self.budget()
        if delai <= 0:
            raise TimeoutExceeded(MSG_TIMEOUT.format(tache=self.task, delai=self._timeout_total()))
        try:
            return self.running_jail.ask(request, delai)
        except JailBroken as e:
            if e.statut is JailStatus.TIMEOUT:
                self.report(Incident.TIMEOUT)
                message = MSG_TIMEOUT.format(tache=self.task, delai=self._timeout_total())
                piles = student_lines(e.piles)
                if piles:
                    message += "\n" + MSG_PILES.format(piles="\n".join(piles))
                raise TimeoutExceeded(message) from None
            if e.statut is JailStatus.CRASH:
                self.report(Incident.CRASH)
                raise CheckFailed(MSG_ARRET_BRUTAL.format(detail=e.detail)) from None
            self.report(Incident.TAMPERING)
            raise CheckFailed(MSG_PREUVE_INVALIDE.format(detail=e.detail)) from None

    def _timeout_total(self) -> float:
        return getattr(self.budget, "total", 0.0) or 0.0

    def _read_execution(self, proof: dict) -> Execution:
        from .proofs import InvalidProof, execution_since_data
        if proof.get("alteration") is not None:
            self.report(Incident.TAMPERING)
            raise CheckFailed(MSG_ALTERATION.format(quoi=str(proof["alteration"])[:80]))
        try:
            ex = execution_since_data(proof)
        except InvalidProof as e:
            self.report(Incident.TAMPERING)
            raise CheckFailed(MSG_PREUVE_INVALIDE.format(detail=str(e)[:200])) from None
        if ex.type_exception == "AccesInterdit":
            ex.raw_exception = AccesInterdit(ex.message_exception or "")
            if any(ex.message_exception == MSG_IMPORT_INTERDIT.format(module=m) for m in INTERNAL_MODULES):
                self.report(Incident.TAMPERING)
        elif ex.type_exception == "NotImplementedError":
            ex.raw_exception = NotImplementedError(ex.message_exception or "")
        return ex


def _execute_real_here(cellules: dict[str, str], gids: list[str], references: dict[str, str] | None,
                       scenario: Callable, fake: bool, substituts: dict[str, Any] | None) -> Execution:
    """``executer_reel`` in this process (tests, a student's own kernel)."""
    from .harness import load, compile_all
    from .output import BoundedOutput
    modules: dict[str, Any] = {}
    if fake:
        from .futures_fake import build_modules
        modules, _ = build_modules()
    ns = build_space(modules)
    ns.update(substituts or {})
    ex = Execution(seed=0)
    capture, old = BoundedOutput(), sys.stdout
    sys.stdout = capture
    phase = "chargement"
    try:
        load(compile_all(cellules, gids), ns, gids)
        load({g: compiler(g, s) for g, s in (references or {}).items()}, ns, None)
        phase = "scenario"
        ex.valeur = scenario(ns)
    except LoadError as e:
        raise CheckFailed(str(e)) from None
    except BaseException as e:  # noqa: BLE001 - student code may raise anything
        texte = summarize_exception(e)
        ex.exception = f"à l'exécution de la cellule : {texte}" if phase == "chargement" else texte
        ex.raw_exception, ex.type_exception = e, type(e).__name__
    finally:
        sys.stdout = old
    ex.output = capture.getvalue()
    return ex
