"""pytest plugin of the grading process: gives graders the submission, streams each verdict to the engine.

This process never runs student code: checks ask the submission's jail for evidence and decide here.
"""
from __future__ import annotations

import json
import os
import time
from typing import Any

import pytest

from .probes.api import DelaiDepasse, Echec, Soumission
from .probes.sortie import resumer_exception

MSG_DELAI = ("Cette vérification a dépassé son délai de {delai:g} s et a été interrompue : cherchez une boucle "
             "sans fin ou une attente qui ne se termine jamais.")
MSG_ERREUR = "La vérification n'a pas pu aller au bout : {exception}."
MSG_ECHEC_NU = "La vérification a échoué."


class Canal:
    """Write-only JSON-lines channel to the deciding process (a pipe)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def envoyer(self, message: dict[str, Any]) -> None:
        donnees = (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8")
        while donnees:
            n = os.write(self.fd, donnees)
            donnees = donnees[n:]


def message_echec(excinfo: Any, delai: float) -> str:
    e = excinfo.value
    if isinstance(e, Echec):
        return str(e)
    texte = str(e) if isinstance(e, pytest.fail.Exception) else ""
    if texte.startswith("Timeout"):
        return MSG_DELAI.format(delai=delai)
    if isinstance(e, AssertionError):
        return MSG_ECHEC_NU
    return MSG_ERREUR.format(exception=resumer_exception(e))


class Budget:
    """Real seconds left for one task, counted from its first check (callable; ``total`` is the limit)."""

    def __init__(self, total: float) -> None:
        self.total = total
        self.debut: float | None = None

    def __call__(self) -> float:
        if self.debut is None:
            self.debut = time.monotonic()
        return self.total - (time.monotonic() - self.debut)


class Greffon:
    """Selects the requested tasks' checks, provides the ``soumission`` fixture, reports through ``canal``."""

    def __init__(self, cellules: dict[str, str], ordre: dict[str, str], taches: list[str], canal: Canal,
                 delais: dict[str, float], prison: Any) -> None:
        self.cellules = cellules
        self.ordre = ordre
        self.taches = taches
        self.canal = canal
        self.delais = delais
        self.prison = prison
        self.budgets = {t: Budget(d) for t, d in delais.items()}
        self._restants: dict[str, int] = {}   # parametrized check -> parameter sets still to run
        self._echecs: dict[str, str] = {}     # check -> first failure message
        self._vus: set[str] = set()           # nodeids already reported
        self._suspendues: dict[str, str] = {}  # task -> hang message: its remaining checks are not run

    @staticmethod
    def _tache(item: Any) -> str | None:
        m = item.get_closest_marker("tache")
        return m.args[0] if m else None

    @pytest.fixture
    def soumission(self, request: Any) -> Soumission:
        tache = self._tache(request.node) or ""
        return Soumission(self.cellules, self.ordre, self.prison, tache, self.budgets.get(tache),
                          lambda genre: self.canal.envoyer({"type": "incident", "genre": genre}))

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "tache(id, poids=1): the graded task a check belongs to")

    def pytest_collection_modifyitems(self, session: Any, config: Any, items: list) -> None:
        gardes = [it for it in items if self._tache(it) in self.taches]
        gardes.sort(key=lambda it: self.taches.index(self._tache(it)))
        items[:] = gardes
        for it in gardes:
            self._restants[it.originalname] = self._restants.get(it.originalname, 0) + 1

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> bool | None:
        """A task that hung: its remaining checks fail unrun, with the same message."""
        message = self._suspendues.get(self._tache(item))
        if message is None:
            return None
        self.canal.envoyer({"type": "debut", "verification": item.originalname})
        self._echecs.setdefault(item.originalname, message)
        self._conclure(item.originalname)
        return True

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        self.canal.envoyer({"type": "debut", "verification": nodeid.split("::")[-1].split("[")[0]})

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: Any, call: Any):
        resultat = yield
        rapport = resultat.get_result()
        if item.nodeid in self._vus or (rapport.when != "call" and not rapport.failed):
            return
        self._vus.add(item.nodeid)
        nom = item.originalname
        if call.excinfo is not None and isinstance(call.excinfo.value, DelaiDepasse):
            self._suspendues[self._tache(item)] = str(call.excinfo.value)
        echoue = call.excinfo is not None or rapport.when != "call"
        if echoue and nom not in self._echecs:
            tache = self._tache(item)
            self._echecs[nom] = (message_echec(call.excinfo, self.delais.get(tache, 0.0)) if call.excinfo
                                 else MSG_ECHEC_NU)
        self._conclure(nom)

    def _conclure(self, nom: str) -> None:
        self._restants[nom] -= 1
        if self._restants[nom] == 0:
            echec = self._echecs.get(nom)
            self.canal.envoyer({"type": "resultat", "verification": nom, "reussi": echec is None,
                                "message": echec or ""})
