"""The one scoring rule and the SPEC §3 result shape."""
from __future__ import annotations

from autograder.results import Check, GradeResult, TaskResult, read_result, task_score, total


def test_score_proportionnel_at_weight():
    assert task_score(4, 3, 4) == 3.0
    assert task_score(2, 1, 3) == 0.67
    assert task_score(4, 0, 4) == 0.0
    assert task_score(4, 1, 0) == 0.0


def test_shape_of_result():
    r = GradeResult("02-verrous", 0, 10, [TaskResult("incrementer", 1.0, 4.0, [Check("c", False, "m")])], ["e"])
    d = r.to_dict()
    assert set(d) == {"assignment", "score", "max_score", "tasks", "errors"}
    assert set(d["tasks"][0]) == {"id", "score", "max_score", "checks"}
    assert set(d["tasks"][0]["checks"][0]) == {"name", "passed", "message"}
    assert read_result(d) == r
    assert total([TaskResult("a", 0.335, 1), TaskResult("b", 0.335, 1)]) == 0.67
