"""Evidence from a jail is parsed with caps: whatever a submission sends, the deciding process survives."""
from __future__ import annotations

import json
import math

import pytest

from autograder.probes.proofs import (DEPTH_MAX, SIZE_MAX, InvalidProof, decode_proof, encode_proof,
                                       execution_since_data, read_message)


def round_trip(v):
    return decode_proof(json.loads(json.dumps(encode_proof(v))))


@pytest.mark.parametrize("valeur", [None, True, 3, -2.5, "é", [1, (2, 3)], (5, 5), {1: [2], (3, 4): "x"},
                                    ("ok", [1, 4, 9]), {"a": (1,)}])
def test_values_simple_survive(valeur):
    assert round_trip(valeur) == valeur
    assert type(round_trip(valeur)) is type(valeur)


def test_floats_special():
    assert math.isnan(round_trip(float("nan")))
    assert round_trip(float("inf")) == float("inf")


def test_object_becomes_description():
    class Egal:
        def __eq__(self, other):
            return True
    assert round_trip([Egal()]) == ["<objet Egal>"]
    assert round_trip(True.__class__(1)) is True


def test_nesting_deep_refused():
    line = ("[" * 100_000 + "]" * 100_000).encode()
    with pytest.raises(InvalidProof):
        read_message(b'{"a": ' + line + b"}")


def test_nesting_reasonable_accepted():
    deep = 1
    for _ in range(DEPTH_MAX):
        deep = [deep]
    assert read_message(json.dumps({"v": deep}).encode())["v"] == deep


@pytest.mark.parametrize("line", [b"\xff\xfe", b"[1, 2]", b"not json", b'{"a": 1', b"", b"null"])
def test_lines_invalid(line):
    with pytest.raises(InvalidProof):
        read_message(line)


def test_too_big():
    with pytest.raises(InvalidProof):
        read_message(b'{"a": "' + b"x" * (SIZE_MAX + 1) + b'"}')


@pytest.mark.parametrize("forme", [{"__t": 3}, {"__d": [[[1], 2]]}, {"__f": "1e400"}, {"a": 1, "b": 2}])
def test_shapes_unknown(forme):
    with pytest.raises(InvalidProof):
        decode_proof(forme)


@pytest.mark.parametrize("field, valeur", [("journal", [[1]]), ("cycle", {"evenements": [[1, 2]]}),
                                           ("horodatage", [["x", "y"]]), ("pas", "beaucoup")])
def test_execution_badly_formed(field, valeur):
    with pytest.raises(InvalidProof):
        execution_since_data({field: valeur})


def test_execution_empty_is_own():
    ex = execution_since_data({})
    assert ex.own and ex.valeur is None and ex.courses == []
