"""Hidden grader text never reaches a student: distinctive lines are masked, messages bounded."""
from __future__ import annotations

from autograder.redaction import MASK, MESSAGE_MAX, Redactor


def test_lines_of_grader_masked(tmp_path):
    f = tmp_path / "test_x.py"
    f.write_text("import pytest\n\ndef test_secret(soumission):\n    attendu = calcul_tres_secret(42) + 17\n",
                 encoding="utf-8")
    c = Redactor([f])
    texte = c("RuntimeError: def test_secret(soumission):\n    attendu = calcul_tres_secret(42) + 17")
    assert "calcul_tres_secret" not in texte and MASK in texte
    assert c("import pytest") == "import pytest"  # too common to be a secret
    assert len(c("x" * (MESSAGE_MAX * 2))) <= MESSAGE_MAX + 4
