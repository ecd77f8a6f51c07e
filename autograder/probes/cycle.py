"""Lifecycle log of the threads a run creates: start, run(), join, end, exceptions."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Evenement:
    """One lifecycle event, stamped with the scheduler step it happened at."""

    pas: int
    genre: str  # creation | start | run_direct | join | join_fin | fin | exception
    thread: str
    detail: Any = None


@dataclass
class Cycle:
    """What happened to every stand-in Thread of one run.

    A started thread is named like the scheduler names it (T1, T2... in start order, T0 being the thread
    that runs the scenario), so that lifecycle, deadlock and race messages all speak of the same T1.
    """

    ordonnanceur: Any
    threads: list = field(default_factory=list)
    evenements: list[Evenement] = field(default_factory=list)
    exceptions: list[tuple[str, BaseException]] = field(default_factory=list)
    files: list = field(default_factory=list)
    verrous_crees: int = 0
    vivants_au_retour: list[str] = field(default_factory=list)
    # For every stand-in Lock/RLock, in creation order: the labels of the threads that acquired it.
    preneurs_verrous: list[list[str]] = field(default_factory=list)
    _par_tache: dict[int, Any] = field(default_factory=dict)

    def libelle(self, th: Any) -> str:
        tache = getattr(th, "_tache", None)
        if tache is not None:
            return tache.libelle  # numbered from T1 again after threads a trial call started at load
        return f"(non démarré n°{self.threads.index(th) + 1})" if th in self.threads else "?"

    def creation(self, th: Any) -> None:
        self.threads.append(th)
        self.evenement("creation", th)

    def lien_tache(self, num: int, th: Any) -> None:
        self._par_tache[num] = th

    def thread_de(self, num: int) -> Any:
        return self._par_tache.get(num)

    def evenement(self, genre: str, th: Any, **detail: Any) -> None:
        self.evenements.append(Evenement(self.ordonnanceur.pas, genre, self.libelle(th), detail or None))

    def exception(self, th: Any, e: BaseException) -> None:
        self.exceptions.append((self.libelle(th), e))
        self.evenement("exception", th)

    def noter_retour(self) -> None:
        """Called when the function under test returns: which threads are still alive."""
        self.vivants_au_retour = [self.libelle(th) for th in self.threads if th.is_alive()]

    def nouveau_verrou(self) -> list[str]:
        """Register a lock; the returned list collects the labels of the threads that take it."""
        self.verrous_crees += 1
        preneurs: list[str] = []
        self.preneurs_verrous.append(preneurs)
        return preneurs

    # -- questions the graders ask ------------------------------------------
    def verrous_jamais_partages(self) -> bool:
        """True when threads other than T0 took locks but no lock was ever taken by two of them."""
        pris = [[t for t in p if t != "T0"] for p in self.preneurs_verrous]
        return any(pris) and not any(len(p) >= 2 for p in pris)

    def ayant(self, genre: str) -> list[str]:
        vus: list[str] = []
        for e in self.evenements:
            if e.genre == genre and e.thread not in vus:
                vus.append(e.thread)
        return vus

    def demarres(self) -> list[str]:
        return self.ayant("start")

    def joints(self) -> list[str]:
        """Threads whose join() returned with the thread finished."""
        return self.ayant("join_fin")

    def start_apres_join(self) -> bool:
        """True when some start() came after the first join(): the threads did not all overlap."""
        pas_join = [e.pas for e in self.evenements if e.genre == "join"]
        pas_start = [e.pas for e in self.evenements if e.genre == "start"]
        return bool(pas_join and pas_start) and max(pas_start) > min(pas_join)
