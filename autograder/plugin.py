"""pytest plugin of the grading process: gives graders the submission, streams each verdict to the engine.

This process never runs student code: checks ask the submission's jail for evidence and decide here.
"""
from __future__ import annotations

import json
import os
import time
from typing import Any

import pytest

from .probes.api import TimeoutExceeded, CheckFailed, Submission
from .probes.output import summarize_exception

MSG_TIMEOUT = ("Cette vérification a dépassé son délai de {delai:g} s et a été interrompue : cherchez une boucle "
             "sans fin ou une attente qui ne se termine jamais.")
MSG_ERROR = "La vérification n'a pas pu aller au bout : {exception}."
MSG_BARE_FAILURE = "La vérification a échoué."


class Channel:
    """Write-only JSON-lines channel to the deciding process (a pipe)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def send(self, message: dict[str, Any]) -> None:
        donnees = (json.dumps(message, ensure_ascii=False) + "\n").encode("utf-8")
        while donnees:
            n = os.write(self.fd, donnees)
            donnees = donnees[n:]


def failure_message(excinfo: Any, delai: float) -> str:
    e = excinfo.value
    if isinstance(e, CheckFailed):
        return str(e)
    texte = str(e) if isinstance(e, pytest.fail.Exception) else ""
    if texte.startswith("Timeout"):
        return MSG_TIMEOUT.format(delai=delai)
    if isinstance(e, AssertionError):
        return MSG_BARE_FAILURE
    return MSG_ERROR.format(exception=summarize_exception(e))


class Budget:
    """Real seconds left for one task, counted from its first check (callable; ``total`` is the limit)."""

    def __init__(self, total: float) -> None:
        self.total = total
        self.debut: float | None = None

    def __call__(self) -> float:
        if self.debut is None:
            self.debut = time.monotonic()
        return self.total - (time.monotonic() - self.debut)


class Plugin:
    """Selects the requested tasks' checks, provides the ``soumission`` fixture, reports through ``canal``."""

    def __init__(self, cellules: dict[str, str], order: dict[str, str], taches: list[str], canal: Channel,
                 timeouts: dict[str, float], running_jail: Any) -> None:
        self.cellules = cellules
        self.order = order
        self.taches = taches
        self.canal = canal
        self.timeouts = timeouts
        self.running_jail = running_jail
        self.budgets = {t: Budget(d) for t, d in timeouts.items()}
        self._remaining: dict[str, int] = {}   # parametrized check -> parameter sets still to run
        self._failures: dict[str, str] = {}     # check -> first failure message
        self._seen: set[str] = set()           # nodeids already reported
        self._suspended: dict[str, str] = {}  # task -> hang message: its remaining checks are not run

    @staticmethod
    def _task(item: Any) -> str | None:
        m = item.get_closest_marker("tache")
        return m.args[0] if m else None

    @pytest.fixture
    def submission(self, request: Any) -> Submission:
        task = self._task(request.node) or ""
        return Submission(self.cellules, self.order, self.running_jail, task, self.budgets.get(task),
                          lambda genre: self.canal.send({"type": "incident", "genre": genre}))

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "tache(id, poids=1): the graded task a check belongs to")

    def pytest_collection_modifyitems(self, session: Any, config: Any, items: list) -> None:
        guards = [it for it in items if self._task(it) in self.taches]
        guards.sort(key=lambda it: self.taches.index(self._task(it)))
        items[:] = guards
        for it in guards:
            self._remaining[it.originalname] = self._remaining.get(it.originalname, 0) + 1

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> bool | None:
        """A task that hung: its remaining checks fail unrun, with the same message."""
        message = self._suspended.get(self._task(item))
        if message is None:
            return None
        self.canal.send({"type": "debut", "verification": item.originalname})
        self._failures.setdefault(item.originalname, message)
        self._conclude(item.originalname)
        return True

    def pytest_runtest_logstart(self, nodeid: str, location: Any) -> None:
        self.canal.send({"type": "debut", "verification": nodeid.split("::")[-1].split("[")[0]})

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: Any, call: Any):
        resultat = yield
        report = resultat.get_result()
        if item.nodeid in self._seen or (report.when != "call" and not report.failed):
            return
        self._seen.add(item.nodeid)
        nom = item.originalname
        if call.excinfo is not None and isinstance(call.excinfo.value, TimeoutExceeded):
            self._suspended[self._task(item)] = str(call.excinfo.value)
        fails = call.excinfo is not None or report.when != "call"
        if fails and nom not in self._failures:
            task = self._task(item)
            self._failures[nom] = (failure_message(call.excinfo, self.timeouts.get(task, 0.0)) if call.excinfo
                                 else MSG_BARE_FAILURE)
        self._conclude(nom)

    def _conclude(self, nom: str) -> None:
        self._remaining[nom] -= 1
        if self._remaining[nom] == 0:
            failure = self._failures.get(nom)
            self.canal.send({"type": "resultat", "verification": nom, "reussi": failure is None,
                                "message": failure or ""})
