"""pytest plugin loaded in the sandbox child: gives graders the submission, streams each verdict."""
from __future__ import annotations

import json
import os
from typing import Any

import pytest

from .probes.api import Echec, Soumission
from .probes.sortie import resumer_exception

MSG_DELAI = ("Cette vérification a dépassé son délai de {delai:g} s et a été interrompue : cherchez une boucle "
             "sans fin ou une attente qui ne se termine jamais.")
MSG_ERREUR = "La vérification n'a pas pu aller au bout : {exception}."
MSG_ECHEC_NU = "La vérification a échoué."
MSG_ALTERATION = ("Votre code a modifié le correcteur lui-même ({quoi}) : c'est interdit, cette vérification et "
                  "les suivantes valent 0. Retirez ce qui modifie pytest, builtins ou le correcteur.")


def _empreinte(objets: dict[str, Any]) -> dict[str, tuple]:
    """Identity of every attribute of the objects that produce a verdict."""
    return {nom: tuple(sorted((k, id(v)) for k, v in vars(o).items())) for nom, o in objets.items()}


class Canal:
    """Write-only JSON-lines channel to the deciding process (a pipe, never stdout)."""

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


class Greffon:
    """Selects the requested tasks' checks, provides the ``soumission`` fixture, reports through ``canal``."""

    def __init__(self, cellules: dict[str, str], taches: list[str], canal: Canal, delai: float) -> None:
        self.cellules = cellules
        self.taches = taches
        self.canal = canal
        self.delai = delai
        self._restants: dict[str, int] = {}   # parametrized check -> parameter sets still to run
        self._echecs: dict[str, str] = {}     # check -> first failure message
        self._vus: set[str] = set()           # nodeids already reported
        self._surveilles: dict[str, Any] = {}
        self._reference: dict[str, tuple] = {}
        self._altere: str | None = None
        self._tache_alteree: str | None = None

    @pytest.fixture
    def soumission(self) -> Soumission:
        return Soumission(self.cellules)

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "tache(id, poids=1): the graded task a check belongs to")

    def pytest_collection_modifyitems(self, session: Any, config: Any, items: list) -> None:
        def tache(item: Any) -> str | None:
            m = item.get_closest_marker("tache")
            return m.args[0] if m else None

        gardes = [it for it in items if tache(it) in self.taches]
        gardes.sort(key=lambda it: self.taches.index(tache(it)))
        items[:] = gardes
        self._surveiller()
        for it in gardes:
            self._restants[it.originalname] = self._restants.get(it.originalname, 0) + 1

    def _surveiller(self) -> None:
        """Snapshot before any student code runs (collection imports only the grader)."""
        import builtins

        from _pytest import reports, runner
        self._surveilles = {"builtins": builtins, "pytest.TestReport": reports.TestReport,
                            "pytest.CallInfo": runner.CallInfo, "Greffon": Greffon, "Canal": Canal,
                            "json": json, "os": os}
        self._reference = _empreinte(self._surveilles)

    def _verifier_integrite(self) -> str | None:
        if self._altere is None:
            actuelle = _empreinte(self._surveilles)
            for nom, ref in self._reference.items():
                if actuelle[nom] != ref:
                    self._altere = nom
        return self._altere

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_protocol(self, item: Any, nextitem: Any) -> bool | None:
        """Once the grader was altered: the rest of that task fails unrun; other tasks need a fresh child."""
        if self._altere is None:
            return None
        if item.get_closest_marker("tache").args[0] == self._tache_alteree:
            self.canal.envoyer({"type": "debut", "verification": item.originalname})
            self._restants[item.originalname] -= 1
            if self._restants[item.originalname] == 0:
                self.canal.envoyer({"type": "resultat", "verification": item.originalname, "reussi": False,
                                    "message": MSG_ALTERATION.format(quoi=self._altere)})
            return True
        os._exit(0)  # the parent sees no "fin" and grades the remaining tasks in a new child

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
        # The verdict comes from the call's exception, not from the report object a student could patch.
        echoue = call.excinfo is not None or rapport.when != "call"
        altere = self._verifier_integrite()
        if altere and self._tache_alteree is None:
            self._tache_alteree = item.get_closest_marker("tache").args[0]
        if altere and nom not in self._echecs:
            self._echecs[nom] = MSG_ALTERATION.format(quoi=altere)
        if echoue and nom not in self._echecs:
            self._echecs[nom] = message_echec(call.excinfo, self.delai) if call.excinfo else MSG_ECHEC_NU
        self._restants[nom] -= 1
        if self._restants[nom] == 0:
            echec = self._echecs.get(nom)
            self.canal.envoyer({"type": "resultat", "verification": nom, "reussi": echec is None,
                                "message": echec or ""})
