"""Which cells a task's code sees, when a known-good reference stands in for some of them."""
from __future__ import annotations

from autograder.probes.dependencies import defined_names, seen_cells

ORDER = {
    "travailleur": "SENTINELLE = None\n\ndef travailleur(file):\n    return file\n",
    "autre": "def autre():\n    while True:\n        pass\nautre()\n",
    "traiter": "def traiter(file):\n    file.put(SENTINELLE)\n    return travailleur(file)\n",
}
REFERENCE = {"travailleur": "def travailleur(file):\n    return None\n"}


def test_replaced_cell_loads_for_its_other_names():
    """The student's constant next to the replaced function is used further down: that cell loads (the
    reference, loaded after it, still replaces ``travailleur``)."""
    provided = defined_names(REFERENCE["travailleur"])
    assert list(seen_cells(ORDER, ["traiter"], {"travailleur"}, provided)) == ["travailleur", "traiter"]


def test_replaced_cell_left_out_when_only_its_graded_name_is_used():
    order = dict(ORDER, traiter="def traiter(file):\n    return travailleur(file)\n")
    provided = defined_names(REFERENCE["travailleur"])
    assert list(seen_cells(order, ["traiter"], {"travailleur"}, provided)) == ["traiter"]


def test_unrelated_cell_never_loads():
    assert "autre" not in seen_cells(ORDER, ["traiter"], set(), frozenset())
