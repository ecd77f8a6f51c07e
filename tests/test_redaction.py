"""Hidden grader text never reaches a student: distinctive lines are masked, messages bounded."""
from __future__ import annotations

from autograder.redaction import MASQUE, MESSAGE_MAX, Caviardeur


def test_lignes_du_correcteur_masquees(tmp_path):
    f = tmp_path / "test_x.py"
    f.write_text("import pytest\n\ndef test_secret(soumission):\n    attendu = calcul_tres_secret(42) + 17\n",
                 encoding="utf-8")
    c = Caviardeur([f])
    texte = c("RuntimeError: def test_secret(soumission):\n    attendu = calcul_tres_secret(42) + 17")
    assert "calcul_tres_secret" not in texte and MASQUE in texte
    assert c("import pytest") == "import pytest"  # too common to be a secret
    assert len(c("x" * (MESSAGE_MAX * 2))) <= MESSAGE_MAX + 4
