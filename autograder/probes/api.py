"""What a hidden grader receives: the student's cells, ways to run them, and Echec for a failed check."""
from __future__ import annotations

import sys
from typing import Any, Callable, Iterable

from ..results import Incident
from .dependances import PREFIXE_VERROUILLEE, cellules_vues
from .espace import MSG_IMPORT_INTERDIT, AccesInterdit, fabriquer_espace
from .harness import ErreurChargement, Execution, compiler, executer
from .sortie import resumer_exception

MSG_CELLULE_MANQUANTE = ("La cellule « {gid} » est introuvable dans votre notebook (supprimée, ou son identifiant "
                         "a changé) : reprenez-la depuis la version distribuée et complétez-la.")
MSG_NON_IMPLEMENTE = ("{quoi} n'est pas encore implémenté (NotImplementedError) : remplacez "
                      "« raise NotImplementedError() » par votre code.")
MSG_EXCEPTION = "{quoi} a levé une exception inattendue : {exception}."


def valeur_sure(v: Any) -> Any:
    """``v`` if it is a plain value, else a description: a student object never takes part in a comparison."""
    if type(v) in (int, float, bool, str, type(None)):
        return v
    if type(v) in (tuple, list):
        return type(v)(valeur_sure(x) for x in v)
    return f"<objet {type(v).__name__}>"


class Echec(AssertionError):
    """A failed check; its text is shown to the student as is (French, actionable)."""


class DelaiDepasse(Echec):
    """A run of the student's code went past the task's real-time limit: the rest of the task is not run."""


MSG_DELAI = ("La correction de « {tache} » a dépassé {delai:g} s et a été arrêtée : cherchez une boucle sans fin, "
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
MODULES_INTERNES = ("_pytest", "pytest", "pluggy", "autograder", "ctypes", "gc", "inspect", "faulthandler",
                    "signal", "resource", "marshal", "pickle", "importlib", "code", "codeop")


def lignes_eleve(piles: str, limite: int = 8) -> list[str]:
    """The lines of a stack dump that point into the student's cells (bounded)."""
    lignes = [ligne.strip()[:200] for ligne in piles.splitlines() if "<cellule " in ligne]
    return lignes[-limite:]


class Soumission:
    """The submitted notebook's cells, and ways to run them: in this process, or in a jail."""

    def __init__(self, cellules: dict[str, str], ordre: dict[str, str] | None = None, prison: Any = None,
                 tache: str = "", budget: Callable[[], float] | None = None,
                 signaler: Callable[[Incident], None] | None = None) -> None:
        """``cellules``: answer cells by grade_id; ``ordre``: every cell a task's code sees, in notebook order
        (the instructor's locked code cells and the answer cells); ``prison``: a jail.Prison, or None to run
        here; ``budget``: real seconds left for the task; ``signaler``: reports an incident to the TA."""
        self.cellules = dict(cellules)
        self.ordre = dict(ordre) if ordre is not None else dict(cellules)
        self.prison = prison
        self.tache = tache
        self.budget = budget or (lambda: 30.0)
        self.signaler = signaler or (lambda genre: None)
        # Per submission, never shared: the cells a task sees (an AST walk) are the same for every seed, and a
        # check asks for up to 40 seeds.
        self._vues: dict[tuple, dict[str, str]] = {}

    def source(self, gid: str) -> str:
        if gid not in self.cellules:
            raise Echec(MSG_CELLULE_MANQUANTE.format(gid=gid))
        return self.cellules[gid]

    def _a_charger(self, gids: Iterable[str], references: dict[str, str] | None) -> dict[str, str]:
        gids = list(gids)
        for gid in gids:
            self.source(gid)
        cle = (tuple(gids), tuple(sorted(references or {})))
        if cle not in self._vues:
            self._vues[cle] = self._cellules_vues(gids, references)
        return dict(self._vues[cle])

    def _cellules_vues(self, gids: list[str], references: dict[str, str] | None) -> dict[str, str]:
        ordre = {g: s for g, s in self.ordre.items() if g in self.cellules or g.startswith(PREFIXE_VERROUILLEE)}
        for gid in gids:  # a task's own cells always load, even when the order given lacks them
            ordre.setdefault(gid, self.cellules[gid])
        return cellules_vues(ordre, gids, set(references or {}) - set(gids))

    def executer(self, gids: Iterable[str], scenario: Callable, graine: int = 0, *,
                 references: dict[str, str] | None = None, **options: Any) -> Execution:
        """One seeded run; ``references`` are known-good cells loaded after the student's (they replace names)."""
        gids = list(gids)
        cellules = self._a_charger(gids, references)
        if self.prison is None:
            try:
                return executer(cellules, scenario, graine, principales=gids, references=references, **options)
            except ErreurChargement as e:
                raise Echec(str(e)) from None
        substituts = options.pop("substituts", None)
        preuve = self._demander("executer", cellules, gids, references, scenario, substituts,
                                {"graine": graine, **{k: (list(v) if k == "globales" else v)
                                                      for k, v in options.items()}})
        if "erreur_chargement" in preuve:
            raise Echec(str(preuve["erreur_chargement"])[:2000])
        ex = self._lire_execution(preuve)
        return ex

    def executer_reel(self, gids: Iterable[str], scenario: Callable, *, references: dict[str, str] | None = None,
                      factices: bool = False, substituts: dict[str, Any] | None = None) -> Execution:
        """Load cells with real threading/time/queue (real threads or processes) and call ``scenario(ns)``;
        with ``factices``, concurrent.futures and multiprocessing pools complete in reverse order."""
        gids = list(gids)
        cellules = self._a_charger(gids, references)
        if self.prison is None:
            return _executer_reel_ici(cellules, gids, references, scenario, factices, substituts)
        return self._lire_execution(self._demander("reel", cellules, gids, references, scenario, substituts,
                                                   {"factices": factices}))

    def charger_reel(self, gids: Iterable[str], references: dict[str, str] | None = None,
                     modules: dict[str, Any] | None = None) -> dict[str, Any]:
        """In this process only (a student's own kernel): load cells with real threading/time/queue,
        ``modules`` replacing others, and return the namespace. Graders use ``executer_reel``."""
        if self.prison is not None:
            raise RuntimeError("charger_reel runs student code here: use executer_reel with a jail")
        from .harness import charger, compiler_tout
        gids = list(gids)
        cellules = self._a_charger(gids, references)
        ns = fabriquer_espace(modules or {})
        try:
            charger(compiler_tout(cellules, gids), ns, gids)
            charger(compiler_tout(references or {}, None), ns, None)
        except ErreurChargement as e:
            raise Echec(str(e)) from None
        except NotImplementedError:
            raise Echec(MSG_NON_IMPLEMENTE.format(quoi=gids[0] if gids else "")) from None
        except AccesInterdit as e:
            raise Echec(str(e)) from None
        except BaseException as e:  # noqa: BLE001
            raise Echec(f"La cellule « {gids[0] if gids else ''} » plante à l'exécution : "
                        f"{resumer_exception(e)}.") from None
        return ns

    # -- the jail round trip -----------------------------------------------------------------------
    def _demander(self, op: str, cellules: dict[str, str], gids: list[str], references: dict[str, str] | None,
                  scenario: Callable, substituts: dict[str, Any] | None, options: dict[str, Any]) -> dict:
        import base64

        import cloudpickle

        from ..jail import JailStatus, PrisonHS
        module = sys.modules.get(getattr(scenario, "__module__", "") or "")
        if module is not None and not module.__name__.startswith("autograder"):
            # A hidden grader is not importable in the jail: its scenario and helpers travel by value.
            cloudpickle.register_pickle_by_value(module)
        # Pickled for every request: a scenario may read closure variables the grader changes between seeds.
        charge = base64.b64encode(cloudpickle.dumps((scenario, substituts))).decode("ascii")
        requete = {"op": op, "cellules": cellules, "principales": gids, "references": references or {},
                   "options": options, "charge": charge}
        delai = self.budget()
        if delai <= 0:
            raise DelaiDepasse(MSG_DELAI.format(tache=self.tache, delai=self._delai_total()))
        try:
            return self.prison.demander(requete, delai)
        except PrisonHS as e:
            if e.statut is JailStatus.TIMEOUT:
                self.signaler(Incident.TIMEOUT)
                message = MSG_DELAI.format(tache=self.tache, delai=self._delai_total())
                piles = lignes_eleve(e.piles)
                if piles:
                    message += "\n" + MSG_PILES.format(piles="\n".join(piles))
                raise DelaiDepasse(message) from None
            if e.statut is JailStatus.CRASH:
                self.signaler(Incident.CRASH)
                raise Echec(MSG_ARRET_BRUTAL.format(detail=e.detail)) from None
            self.signaler(Incident.TAMPERING)
            raise Echec(MSG_PREUVE_INVALIDE.format(detail=e.detail)) from None

    def _delai_total(self) -> float:
        return getattr(self.budget, "total", 0.0) or 0.0

    def _lire_execution(self, preuve: dict) -> Execution:
        from .preuves import PreuveInvalide, execution_depuis_donnees
        if preuve.get("alteration") is not None:
            self.signaler(Incident.TAMPERING)
            raise Echec(MSG_ALTERATION.format(quoi=str(preuve["alteration"])[:80]))
        try:
            ex = execution_depuis_donnees(preuve)
        except PreuveInvalide as e:
            self.signaler(Incident.TAMPERING)
            raise Echec(MSG_PREUVE_INVALIDE.format(detail=str(e)[:200])) from None
        if ex.type_exception == "AccesInterdit":
            ex.exception_brute = AccesInterdit(ex.message_exception or "")
            if any(ex.message_exception == MSG_IMPORT_INTERDIT.format(module=m) for m in MODULES_INTERNES):
                self.signaler(Incident.TAMPERING)
        elif ex.type_exception == "NotImplementedError":
            ex.exception_brute = NotImplementedError(ex.message_exception or "")
        return ex


def _executer_reel_ici(cellules: dict[str, str], gids: list[str], references: dict[str, str] | None,
                       scenario: Callable, factices: bool, substituts: dict[str, Any] | None) -> Execution:
    """``executer_reel`` in this process (tests, a student's own kernel)."""
    from .harness import charger, compiler_tout
    from .sortie import SortieBornee
    modules: dict[str, Any] = {}
    if factices:
        from .futures_factices import fabriquer_modules
        modules, _ = fabriquer_modules()
    ns = fabriquer_espace(modules)
    ns.update(substituts or {})
    ex = Execution(graine=0)
    capture, ancienne = SortieBornee(), sys.stdout
    sys.stdout = capture
    phase = "chargement"
    try:
        charger(compiler_tout(cellules, gids), ns, gids)
        charger({g: compiler(g, s) for g, s in (references or {}).items()}, ns, None)
        phase = "scenario"
        ex.valeur = scenario(ns)
    except ErreurChargement as e:
        raise Echec(str(e)) from None
    except BaseException as e:  # noqa: BLE001 - student code may raise anything
        texte = resumer_exception(e)
        ex.exception = f"à l'exécution de la cellule : {texte}" if phase == "chargement" else texte
        ex.exception_brute, ex.type_exception = e, type(e).__name__
    finally:
        sys.stdout = ancienne
    ex.sortie = capture.getvalue()
    return ex
