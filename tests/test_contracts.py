"""The engine's contracts: typed statuses and incidents, the grading request, check ids, the one result reader."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.assignment import load_assignment
from autograder.engine import empty_result
from autograder.jail import JailStatus
from autograder.request import GradingRequest
from autograder.results import Check, GradeResult, Incident, TaskResult, check_id, read_result
from autograder.samples import write_variant
from autograder.sandbox import RunStatus

from conftest import CATALOGUE, ROOT

ASSIGNMENT = "02-verrous"


def test_status_and_incident_values_unchanged():
    """The values are the strings result files and the channel always held."""
    assert [i.value for i in Incident] == ["delai", "plantage", "alteration"]
    assert [s.value for s in RunStatus] == ["ok", "delai", "signal", "sortie", "canal"]
    assert [s.value for s in JailStatus] == ["ok", "delai", "plantage", "canal"]  # what jail_server writes
    for enum in (Incident, RunStatus, JailStatus):
        for member in enum:
            assert enum(member.value) is member
            assert json.loads(json.dumps(member)) == member.value and str(member) == member.value


def test_request_round_trip():
    request = GradingRequest({"incrementer": "x = 1\n"}, {"incrementer": "x = 1\n", "autre": "y = 2\n"},
                             ("incrementer", "compter_en_parallele"), "/c/test_verrous.py",
                             {"incrementer": 5.0, "compter_en_parallele": 2.5}, ("/c/outils.py",), "/tmp/x")
    assert GradingRequest.from_json(request.to_json()) == request
    assert GradingRequest.from_json(json.dumps(json.loads(request.to_json()))) == request


def _ids(r: GradeResult) -> list[str]:
    return [c.id for t in r.tasks for c in t.checks]


# Graded in a process of its own, as test_sandbox does: a fork-mode run makes its caller a subreaper.
TWO_RUNS = """
import json, sys
from pathlib import Path
from autograder.assignment import load_assignment
from autograder.engine import grade_notebook
assignment = load_assignment(Path(sys.argv[1]), sys.argv[2])
runs = []
for mode in ("fork", "spawn"):
    r = grade_notebook(Path(sys.argv[3]), assignment, mode=mode)
    runs.append({"ids": [c.id for t in r.tasks for c in t.checks], "result": r.to_dict(),
                 "incidents": list(r.incidents)})
print(json.dumps(runs))
"""


def test_check_ids_stable_across_fork_and_spawn(tmp_path: Path):
    """The same ids from two runs, across the fork and the spawn boundary, and back from the stored JSON."""
    assignment = load_assignment(ROOT, ASSIGNMENT)
    nb = write_variant(assignment, CATALOGUE / ASSIGNMENT / "ko_sans_verrou.py", tmp_path / f"{ASSIGNMENT}.ipynb")
    proc = subprocess.run([sys.executable, "-c", TWO_RUNS, str(ROOT), ASSIGNMENT, str(nb)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    forked, spawned = json.loads(proc.stdout.splitlines()[-1])
    expected = [check_id(t.id, v.id) for t in assignment.taches for v in t.hidden_checks]
    assert forked["ids"] == spawned["ids"] == expected
    assert forked["result"] == spawned["result"] and forked["incidents"] == spawned["incidents"]
    assert _ids(read_result(forked["result"], assignment)) == expected
    assert read_result(forked["result"], assignment).to_dict() == forked["result"]
    assert _ids(empty_result(assignment, "illisible")) == expected


def test_one_reader_for_stored_results(tmp_path: Path):
    """A batch file (SPEC's shape plus _incidents, duration, _empreinte) read back from a path or a dict."""
    assignment = load_assignment(ROOT, ASSIGNMENT)
    r = empty_result(assignment, "illisible")
    d = {**r.to_dict(), "_incidents": ["delai", "plantage"], "duration": 1.25, "_empreinte": "abc"}
    f = tmp_path / "e.json"
    f.write_text(json.dumps(d, ensure_ascii=False, indent=1), encoding="utf-8")
    for source in (f, str(f), d):
        back = read_result(source, assignment)
        assert back.incidents == [Incident.TIMEOUT, Incident.CRASH] and back.duration == 1.25
        assert back.to_dict() == r.to_dict()
        assert _ids(back) == _ids(r)
    assert all(c.id == "" for t in read_result(d).tasks for c in t.checks)  # without the assignment: no ids


def test_spec_shape_leaves_the_id_out():
    r = GradeResult("a", 1.0, 1.0, [TaskResult("t", 1.0, 1.0, [Check("nom", True, "", "t.test_x")])])
    assert r.to_dict()["tasks"][0]["checks"] == [{"name": "nom", "passed": True, "message": ""}]


@pytest.mark.parametrize("assignment_id", ["01-bases", "02-verrous", "03-file-attente", "04-gil"])
def test_check_ids_unique(assignment_id: str):
    assignment = load_assignment(ROOT, assignment_id)
    ids = [check_id(t.id, v.id) for t in assignment.taches for v in t.hidden_checks]
    assert len(ids) == len(set(ids))
