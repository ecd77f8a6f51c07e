"""IPython magics in student cells: neutralized only when the cell is not Python, line numbers kept."""
from __future__ import annotations

import pytest

from autograder.probes.harness import LoadError, compiler
from autograder.probes.magics import without_magics


def executer(source: str) -> dict:
    ns: dict = {}
    exec(compiler("essai", source), ns)
    return ns


def test_magics_of_line_and_of_cell():
    src = "%%time\nimport math\n!pip install rien\nif True:\n    %matplotlib inline\n    x = 1\n%time y = x + 1\n"
    assert len(without_magics(src).split("\n")) == len(src.split("\n"))
    ns = executer(src)
    assert ns["x"] == 1 and ns["y"] == 2 and "math" in ns


def test_a_cell_who_is_not_of_python_defines_nothing():
    ns = executer("%%writefile essai.py\ndef f():\n    return 1\n")
    assert "f" not in ns


def test_python_valid_is_never_transformed():
    # A line starting with % inside parentheses is the modulo operator, not a magic.
    assert executer("x = (7\n% 3)\n")["x"] == 1


def test_a_real_error_of_syntax_is_reported_to_its_line():
    with pytest.raises(LoadError, match="ligne 3"):
        compiler("essai", "%time 1\nx = 1\ndef f(:\n")
