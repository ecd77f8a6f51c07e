"""Happens-before race detection with vector clocks, and the access log it reads."""
from __future__ import annotations

import dis
from dataclasses import dataclass, field
from types import CodeType, FrameType
from typing import Any

from .scheduler import Tache

# Vector-clock rules (FastTrack-like, without its epoch optimisation):
# - each task's own component starts at 1 and grows at every release-like event;
# - release(obj): obj.vc |= t.vc ; t.vc[t] += 1      acquire(obj): t.vc |= obj.vc
# - start: child.vc = parent.vc (scheduler) ; join: parent.vc |= child.vc at its end
# - an access (tid, c) happens before task u iff c <= u.vc[tid].
# A race is two accesses to one variable, one of them a write, neither before the other.


def joindre(dest: dict[int, int], src: dict[int, int]) -> None:
    """dest := dest ⊔ src (component-wise max)."""
    for k, v in src.items():
        if dest.get(k, 0) < v:
            dest[k] = v


def publier(t: Tache, horloge_objet: dict[int, int]) -> None:
    """Release edge: the object remembers everything t did so far; t moves on."""
    joindre(horloge_objet, t.vc)
    t.vc[t.num] = t.vc.get(t.num, 0) + 1


def acquerir(t: Tache, horloge_objet: dict[int, int]) -> None:
    """Acquire edge: t now knows everything published into the object."""
    joindre(t.vc, horloge_objet)


@dataclass(frozen=True)
class Acces:
    """One read or write of a watched variable, as logged for the story."""

    tache: str
    ligne: int
    cellule: str
    genre: str  # "lit" | "écrit"
    variable: str
    valeur: Any


@dataclass
class Course:
    """Two unordered accesses to one variable."""

    variable: str
    premier: Acces
    second: Acces


@dataclass
class _EtatVariable:
    ecriture: tuple[int, int, Acces] | None = None
    lectures: dict[int, tuple[int, Acces]] = field(default_factory=dict)


def _instructions(code: CodeType) -> dict[int, tuple[str, str]]:
    table: dict[int, tuple[str, str]] = {}
    for ins in dis.get_instructions(code):
        if ins.opname in ("LOAD_GLOBAL", "LOAD_NAME"):
            table[ins.offset] = ("lit", ins.argval)
        elif ins.opname in ("STORE_GLOBAL", "STORE_NAME"):
            table[ins.offset] = ("écrit", ins.argval)
    return table


class Observateur:
    """Logs accesses to watched globals and attributes and checks them against happens-before."""

    def __init__(self, globales: set[str] | None = None, limite_journal: int = 5_000) -> None:
        self.globales = globales or set()
        self.journal: list[Acces] = []
        self.courses: list[Course] = []
        self._etats: dict[str, _EtatVariable] = {}
        self._tables: dict[CodeType, dict[int, tuple[str, str]]] = {}
        self._en_attente: dict[int, tuple[str, str, FrameType, int]] = {}
        self.limite_journal = limite_journal

    # -- opcode hook (globals) ----------------------------------------------
    # Invariant: an access is logged after its instruction ran and before the task's next sequence
    # point (so no other task can run in between): the logged value is the one really read or written.
    def avant_opcode(self, t: Tache, frame: FrameType) -> None:
        self.vider(t)
        if not self.globales:
            return
        table = self._tables.get(frame.f_code)
        if table is None:
            table = self._tables[frame.f_code] = _instructions(frame.f_code)
        op = table.get(frame.f_lasti)
        if op is not None and op[1] in self.globales:
            # The line is taken now: by the time the access is logged, t.ligne is the next instruction's.
            self._en_attente[t.num] = (op[0], op[1], frame, t.ligne)

    def vider(self, t: Tache) -> None:
        """Log the access whose instruction ``t`` has just executed, if any."""
        attente = self._en_attente.pop(t.num, None)
        if attente is not None:
            genre, nom, f, ligne = attente
            self.acces(t, genre, nom, f.f_globals.get(nom), ligne)

    # -- the check itself -----------------------------------------------------
    def acces(self, t: Tache, genre: str, variable: str, valeur: Any, ligne: int | None = None) -> None:
        a = Acces(t.libelle, t.ligne if ligne is None else ligne, t.cellule, genre, variable, _copie_sure(valeur))
        if len(self.journal) < self.limite_journal:
            self.journal.append(a)
        etat = self._etats.setdefault(variable, _EtatVariable())
        if etat.ecriture is not None:
            wt, wc, wa = etat.ecriture
            if wt != t.num and wc > t.vc.get(wt, 0):
                self._signaler(variable, wa, a)
        if genre == "lit":
            etat.lectures[t.num] = (t.vc.get(t.num, 0), a)
            return
        for rt_, (rc, ra) in etat.lectures.items():
            if rt_ != t.num and rc > t.vc.get(rt_, 0):
                self._signaler(variable, ra, a)
        etat.ecriture = (t.num, t.vc.get(t.num, 0), a)
        etat.lectures = {}

    def instrumenter(self, cls: type, ordonnanceur: Any) -> type:
        """See the module-level :func:`instrumenter`."""
        return instrumenter(self, cls, ordonnanceur)

    def _signaler(self, variable: str, premier: Acces, second: Acces) -> None:
        if len(self.courses) < 20:
            self.courses.append(Course(variable, premier, second))


def _copie_sure(valeur: Any) -> Any:
    """Keep plain values only: a student object must not run code when the log is read."""
    if type(valeur) in (int, float, bool, str, type(None)):
        return valeur
    return f"<{type(valeur).__name__}>"


def instrumenter(observateur: Observateur, cls: type, ordonnanceur: Any) -> type:
    """A subclass of the student's ``cls`` whose instance attribute reads and writes are logged."""

    def tache() -> Tache:
        return ordonnanceur.tache_courante()

    class Observee(cls):  # type: ignore[misc, valid-type]
        def __getattribute__(self, nom: str) -> Any:
            valeur = super().__getattribute__(nom)
            if not nom.startswith("__"):
                try:
                    d = object.__getattribute__(self, "__dict__")
                except AttributeError:
                    d = {}
                if nom in d:
                    observateur.acces(tache(), "lit", "self." + nom, valeur)
            return valeur

        def __setattr__(self, nom: str, valeur: Any) -> None:
            super().__setattr__(nom, valeur)
            observateur.acces(tache(), "écrit", "self." + nom, valeur)

    Observee.__name__ = Observee.__qualname__ = cls.__name__
    return Observee
