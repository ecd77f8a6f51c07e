"""IPython magics in student cells: neutralized only when the cell is not Python, line numbers kept."""
from __future__ import annotations

import pytest

from autograder.probes.harness import ErreurChargement, compiler
from autograder.probes.magies import sans_magies


def executer(source: str) -> dict:
    ns: dict = {}
    exec(compiler("essai", source), ns)
    return ns


def test_magies_de_ligne_et_de_cellule():
    src = "%%time\nimport math\n!pip install rien\nif True:\n    %matplotlib inline\n    x = 1\n%time y = x + 1\n"
    assert len(sans_magies(src).split("\n")) == len(src.split("\n"))
    ns = executer(src)
    assert ns["x"] == 1 and ns["y"] == 2 and "math" in ns


def test_une_cellule_qui_n_est_pas_du_python_ne_definit_rien():
    ns = executer("%%writefile essai.py\ndef f():\n    return 1\n")
    assert "f" not in ns


def test_le_python_valide_n_est_jamais_transforme():
    # A line starting with % inside parentheses is the modulo operator, not a magic.
    assert executer("x = (7\n% 3)\n")["x"] == 1


def test_une_vraie_erreur_de_syntaxe_est_signalee_a_sa_ligne():
    with pytest.raises(ErreurChargement, match="ligne 3"):
        compiler("essai", "%time 1\nx = 1\ndef f(:\n")
