"""The engine's contracts: typed statuses and incidents, the grading request, check ids, the one result reader."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.assignment import charger_devoir
from autograder.engine import resultat_vide
from autograder.jail import JailStatus
from autograder.request import GradingRequest
from autograder.results import Check, GradeResult, Incident, TaskResult, check_id, read_result
from autograder.samples import ecrire_variante
from autograder.sandbox import RunStatus

from conftest import CATALOGUE, RACINE

DEVOIR = "02-verrous"


def test_codes_des_incidents_et_des_statuts_inchanges():
    """The values are the strings result files and the channel always held."""
    assert [i.value for i in Incident] == ["delai", "plantage", "alteration"]
    assert [s.value for s in RunStatus] == ["ok", "delai", "signal", "sortie", "canal"]
    assert [s.value for s in JailStatus] == ["ok", "delai", "plantage", "canal"]  # what jail_server writes
    for enum in (Incident, RunStatus, JailStatus):
        for membre in enum:
            assert enum(membre.value) is membre
            assert json.loads(json.dumps(membre)) == membre.value and str(membre) == membre.value


def test_demande_aller_retour():
    demande = GradingRequest({"incrementer": "x = 1\n"}, {"incrementer": "x = 1\n", "autre": "y = 2\n"},
                             ("incrementer", "compter_en_parallele"), "/c/test_verrous.py",
                             {"incrementer": 5.0, "compter_en_parallele": 2.5}, ("/c/outils.py",), "/tmp/x")
    assert GradingRequest.from_json(demande.to_json()) == demande
    assert GradingRequest.from_json(json.dumps(json.loads(demande.to_json()))) == demande


def _avec_ids(devoir, r: GradeResult) -> list[str]:
    return [c.id for t in r.tasks for c in t.checks]


# Graded in a process of its own, as test_sandbox does: a fork-mode run makes its caller a subreaper.
DEUX_PASSAGES = """
import json, sys
from pathlib import Path
from autograder.assignment import charger_devoir
from autograder.engine import noter_notebook
devoir = charger_devoir(Path(sys.argv[1]), sys.argv[2])
sorties = []
for mode in ("fork", "spawn"):
    r = noter_notebook(Path(sys.argv[3]), devoir, mode=mode)
    sorties.append({"ids": [c.id for t in r.tasks for c in t.checks], "resultat": r.to_dict(),
                    "incidents": list(r.incidents)})
print(json.dumps(sorties))
"""


def test_ids_des_verifications_stables_a_travers_fork_et_spawn(tmp_path: Path):
    """The same ids from two runs, across the fork and the spawn boundary, and back from the stored JSON."""
    devoir = charger_devoir(RACINE, DEVOIR)
    nb = ecrire_variante(devoir, CATALOGUE / DEVOIR / "ko_sans_verrou.py", tmp_path / f"{DEVOIR}.ipynb")
    proc = subprocess.run([sys.executable, "-c", DEUX_PASSAGES, str(RACINE), DEVOIR, str(nb)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    par_fork, par_spawn = json.loads(proc.stdout.splitlines()[-1])
    attendus = [check_id(t.id, v.id) for t in devoir.taches for v in t.verifications]
    assert par_fork["ids"] == par_spawn["ids"] == attendus
    assert par_fork["resultat"] == par_spawn["resultat"] and par_fork["incidents"] == par_spawn["incidents"]
    assert _avec_ids(devoir, read_result(par_fork["resultat"], devoir)) == attendus
    assert read_result(par_fork["resultat"], devoir).to_dict() == par_fork["resultat"]
    assert _avec_ids(devoir, resultat_vide(devoir, "illisible")) == attendus


def test_lecteur_unique_des_resultats(tmp_path: Path):
    """A batch file (SPEC's shape plus _incidents, duration, _empreinte) read back from a path or a dict."""
    devoir = charger_devoir(RACINE, DEVOIR)
    r = resultat_vide(devoir, "illisible")
    d = {**r.to_dict(), "_incidents": ["delai", "plantage"], "duration": 1.25, "_empreinte": "abc"}
    f = tmp_path / "e.json"
    f.write_text(json.dumps(d, ensure_ascii=False, indent=1), encoding="utf-8")
    for source in (f, str(f), d):
        lu = read_result(source, devoir)
        assert lu.incidents == [Incident.TIMEOUT, Incident.CRASH] and lu.duration == 1.25
        assert lu.to_dict() == r.to_dict()
        assert _avec_ids(devoir, lu) == _avec_ids(devoir, r)
    assert all(c.id == "" for t in read_result(d).tasks for c in t.checks)  # without the assignment: no ids


def test_la_forme_spec_ne_montre_pas_l_id():
    r = GradeResult("a", 1.0, 1.0, [TaskResult("t", 1.0, 1.0, [Check("nom", True, "", "t.test_x")])])
    assert r.to_dict()["tasks"][0]["checks"] == [{"name": "nom", "passed": True, "message": ""}]


@pytest.mark.parametrize("devoir_id", ["01-bases", "02-verrous", "03-file-attente", "04-gil"])
def test_ids_uniques(devoir_id: str):
    devoir = charger_devoir(RACINE, devoir_id)
    ids = [check_id(t.id, v.id) for t in devoir.taches for v in t.verifications]
    assert len(ids) == len(set(ids))
