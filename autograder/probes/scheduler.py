"""Seeded cooperative scheduler: one student thread runs at a time and switches only at traced points."""
from __future__ import annotations

import random
import sys
import threading as _rt
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, Callable

# Invariant: exactly one task "holds the turn" (``Ordonnanceur.courante``) while
# the run is live; only the holder executes student code or stand-in code. The
# others wait on ``_cv`` until the turn is handed to them. Switches happen only
# inside ``point()`` (a traced opcode of student code, or an explicit sequence
# point of a stand-in) and inside ``attendre()`` (a blocking stand-in call).

PAS_MAX_DEFAUT = 200_000
QUANTUM = 1e-6  # virtual seconds added per step, so that spinning on time() ends
ATTENTE_REELLE_MAX = 10.0  # real seconds a waiting thread tolerates before giving up


class Annulation(BaseException):
    """Raised inside a task to unwind it once the run is over (deadlock, step limit, end)."""


@dataclass
class Tache:
    """One thread of the run, as the scheduler sees it."""

    num: int
    nom: str
    rang: int = 0  # the number shown to students: threads started while cells loaded are not counted
    vc: dict[int, int] = field(default_factory=dict)
    condition: Callable[[], bool] | None = None
    echeance: float | None = None
    attente: str = ""
    finie: bool = False
    ligne: int = 0
    cellule: str = ""
    exception: BaseException | None = None

    @property
    def libelle(self) -> str:
        return f"T{self.rang}"

    def peut_avancer(self, maintenant: float) -> bool:
        if self.finie:
            return False
        if self.condition is None:
            return True
        if self.echeance is not None and self.echeance <= maintenant:
            return True
        return self.condition()


class Ordonnanceur:
    """Decides, from a seed, which task runs after each sequence point."""

    def __init__(self, graine: int, *, strategie: str = "collante", p_rester: float = 0.9,
                 pas_max: int = PAS_MAX_DEFAUT, suivre: Callable[[Any], bool] | None = None,
                 observateur: Any = None) -> None:
        self.graine = graine
        self.rng = random.Random(graine)
        # Bound now, before any student code runs: a cell that patches random.Random (or _random.Random, a
        # mutable type too) cannot steer the schedule. C methods only: randrange would look _randbelow up.
        self._aleatoire = self.rng.random
        self._bits = self.rng.getrandbits
        if strategie not in ("collante", "uniforme"):
            raise ValueError(f"Unknown scheduling strategy {strategie!r} (from the grader's options)")
        self.strategie = strategie
        self.p_rester = p_rester
        self.pas_max = pas_max
        self.pas = 0
        self.horloge = 0.0
        # Which code objects are the student's (traced opcode by opcode). The jail passes a rule that does
        # not depend on a file name the student chooses; in-process callers default to the cells' names.
        self.suivre = suivre or (lambda code: code.co_filename.startswith("<cellule "))
        self.decalage = 0  # tasks created while cells loaded: later tasks are numbered from T1 again
        self.observateur = observateur
        self.taches: list[Tache] = []
        self._par_thread: dict[int, Tache] = {}
        self._cv = _rt.Condition(_rt.Lock())
        self._abandon = False
        self.courante: Tache | None = None
        self.interblocage: list[str] | None = None
        self.epuise = False
        self.erreur_interne: str | None = None
        # Set by the harness while the cells' top-level code runs, with tracing off: a trial call left in a
        # cell runs at full speed and uncounted, its threads switching only where they block (an endless
        # loop there is stopped by the wall clock). See lancer_thread_reel and point.
        self.chargement = False

    def _au_hasard_sous(self, n: int) -> int:
        """random.Random.randrange(n), drawn as CPython 3.11-3.12 draws it (same seeds, same schedules)."""
        k = n.bit_length()
        r = self._bits(k)
        while r >= n:
            r = self._bits(k)
        return r

    # -- tasks -------------------------------------------------------------
    def demarrer_principale(self) -> Tache:
        """Register the calling real thread as T0 and give it the turn."""
        t = self._nouvelle(0)
        t.vc = {0: 1}
        self._par_thread[_rt.get_ident()] = t
        self.courante = t
        return t

    def _nouvelle(self, num: int) -> Tache:
        t = Tache(num=num, nom=f"T{num}", rang=num - self.decalage)
        self.taches.append(t)
        return t

    def creer_tache(self, parent: Tache) -> Tache:
        """A new task, runnable at once; its clock starts after the parent's (start edge)."""
        t = self._nouvelle(len(self.taches))
        t.vc = dict(parent.vc)
        t.vc[t.num] = 1
        parent.vc[parent.num] = parent.vc.get(parent.num, 0) + 1
        return t

    def lancer_thread_reel(self, tache: Tache, corps: Callable[[], None]) -> None:
        """Start the real OS thread behind ``tache``; it waits for its turn before running."""

        def amorce() -> None:
            self._par_thread[_rt.get_ident()] = tache
            try:
                self._attendre_tour(tache)
                if not self.chargement:
                    sys.settrace(self.tracer)
                try:
                    corps()
                finally:
                    sys.settrace(None)
            except Annulation:
                pass
            finally:
                self._terminer(tache)

        _rt.Thread(target=amorce, daemon=True, name=f"ordonnanceur-{tache.libelle}").start()

    def tache_courante(self) -> Tache:
        t = self._par_thread.get(_rt.get_ident())
        if t is None:
            raise RuntimeError("thread not managed by the scheduler")
        return t

    # -- turn hand-over ------------------------------------------------------
    def _attendre_tour(self, t: Tache) -> None:
        with self._cv:
            ok = self._cv.wait_for(lambda: self.courante is t or self._abandon,
                                   timeout=ATTENTE_REELLE_MAX)
            if not ok and self.erreur_interne is None:
                self.erreur_interne = f"{t.libelle} n'a pas obtenu la main en {ATTENTE_REELLE_MAX} s"
                self._abandon = True
                self._cv.notify_all()
            if self._abandon:
                raise Annulation()

    def _passer(self, de: Tache, a: Tache) -> None:
        with self._cv:
            self.courante = a
            self._cv.notify_all()
        self._attendre_tour(de)

    def _choisir(self, courante: Tache | None, rester: bool = True) -> Tache | None:
        """Pick the next task among those that can advance, advancing virtual time if none can.

        With ``rester`` the sticky strategy may keep ``courante``; point() draws that itself.
        """
        while True:
            prets = [t for t in self.taches if t.peut_avancer(self.horloge)]
            if prets:
                break
            echeances = [t.echeance for t in self.taches
                         if not t.finie and t.condition is not None and t.echeance is not None]
            if not echeances:
                return None
            self.horloge = max(self.horloge, min(echeances))
        if rester and courante in prets and self.strategie == "collante" and self._aleatoire() < self.p_rester:
            return courante
        return prets[self._au_hasard_sous(len(prets))]

    def _deadlock(self) -> None:
        self.interblocage = [f"{t.libelle} attend {t.attente}" for t in self.taches if not t.finie]
        with self._cv:
            self._abandon = True
            self._cv.notify_all()
        raise Annulation()

    # -- sequence points -----------------------------------------------------
    def point(self) -> None:
        """A place where another task may take over (called by the turn holder)."""
        if self._abandon:
            raise Annulation()
        if self.chargement:
            return  # cells loading: a trial call is neither interleaved nor counted
        t = self.courante
        self.pas += 1
        self.horloge += QUANTUM
        if self.pas > self.pas_max:
            self.epuise = True
            with self._cv:
                self._abandon = True
                self._cv.notify_all()
            raise Annulation()
        # Fast path: the running task can always go on; keeping the turn needs no scan of the others.
        if self.strategie == "collante" and self._aleatoire() < self.p_rester:
            return
        suivante = self._choisir(t, rester=False)
        if suivante is not None and suivante is not t:
            self._passer(t, suivante)

    def attendre(self, condition: Callable[[], bool], timeout: float | None, quoi: str) -> bool:
        """Block the current task until ``condition()`` or the virtual ``timeout``; True if the condition holds."""
        t = self.tache_courante()
        if self._abandon:
            raise Annulation()
        if condition():
            return True
        if timeout is not None and timeout <= 0:
            return False
        t.condition = condition
        t.echeance = None if timeout is None else self.horloge + timeout
        t.attente = quoi
        try:
            while True:
                suivante = self._choisir(t)
                if suivante is None:
                    self._deadlock()
                if suivante is t:
                    break
                self._passer(t, suivante)
                if t.peut_avancer(self.horloge):
                    break
        finally:
            t.condition = None
            t.echeance = None
            t.attente = ""
        return condition()

    def _terminer(self, t: Tache) -> None:
        t.finie = True
        if self._abandon:
            return
        suivante = self._choisir(None)
        if suivante is None:
            if any(not x.finie for x in self.taches):
                try:
                    self._deadlock()
                except Annulation:
                    pass
            return
        with self._cv:
            self.courante = suivante
            self._cv.notify_all()

    def annuler_si_fini(self) -> None:
        """Raise Annulation while the run is being abandoned: an error met while unwinding is not the student's."""
        if self._abandon:
            raise Annulation()

    def fin_du_chargement(self) -> None:
        """Forget the loading phase: steps, virtual time and thread numbers start again from zero.

        Called by T0 once every thread started while loading has ended.
        """
        self.pas = 0
        self.horloge = 0.0
        self.decalage = len(self.taches) - 1
        self.chargement = False

    def fermer(self) -> None:
        """End the run: every task still waiting unwinds with Annulation."""
        with self._cv:
            self._abandon = True
            self._cv.notify_all()

    # -- tracing -------------------------------------------------------------
    def tracer(self, frame: FrameType, event: str, arg: Any):
        if not self.suivre(frame.f_code):
            return None
        frame.f_trace_opcodes = True
        return self._trace_local

    def _trace_local(self, frame: FrameType, event: str, arg: Any):
        if self._abandon:
            raise Annulation()
        t = self._par_thread.get(_rt.get_ident())
        if t is None or t is not self.courante:
            return self._trace_local
        if event == "line":
            t.ligne = frame.f_lineno
            t.cellule = frame.f_code.co_filename
        elif event == "opcode":
            t.ligne = frame.f_lineno or t.ligne
            t.cellule = frame.f_code.co_filename
            if self.observateur is not None:
                self.observateur.avant_opcode(t, frame)
            self.point()
        return self._trace_local
