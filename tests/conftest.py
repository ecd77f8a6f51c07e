"""Shared fixtures: the course root, a scratch copy of the course for nbgrader, and helpers."""
from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.gradebook import environnement_nbgrader
from autograder.results import read_result

ROOT = Path(__file__).resolve().parent.parent


def template_pattern(template: str) -> str:
    """A regex matching every rendering of a str.format template: its text exactly, any value per field."""
    pieces = re.split(r"\{[^{}]*\}", template)
    return ".+?".join(re.escape(m) for m in pieces)


def renders(template: str, message: str) -> bool:
    """Whether ``message`` is a whole rendering of ``modele`` (values unknown to the test: seeds, lines)."""
    return re.fullmatch(template_pattern(template), message, re.S) is not None
CATALOGUE = ROOT / "tests" / "soumissions"


def execute_cli(*args: str, cwd: Path = ROOT, timeout: float = 180) -> subprocess.CompletedProcess:
    """Run the installed `autograder` command the way a TA does."""
    return subprocess.run([sys.executable, "-m", "autograder.cli", *args], cwd=cwd, env=environnement_nbgrader(),
                          capture_output=True, text=True, timeout=timeout)


def grade_cli(notebook: Path, assignment: str, tmp_path: Path, cwd: Path = ROOT) -> tuple[dict, subprocess.CompletedProcess]:
    output = tmp_path / "resultat.json"
    proc = execute_cli("grade", str(notebook), "--assignment", assignment, "--json", str(output), cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    resultat = json.loads(output.read_text(encoding="utf-8"))
    assert read_result(output).to_dict() == resultat  # every result the suite produces goes through the one reader
    return resultat, proc


def grader_module(assignment: str):
    """The hidden grader as a module, so tests can import its message constants."""
    file_path = next((ROOT / "assignments" / assignment).glob("test_*.py"))
    spec = importlib.util.spec_from_file_location(f"correcteur_{assignment.replace('-', '_')}", file_path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture
def cours(tmp_path: Path) -> Path:
    """A scratch copy of the course (source, release, assignments, config) where nbgrader may write."""
    dest = tmp_path / "cours"
    dest.mkdir()
    for nom in ("source", "release", "assignments"):
        shutil.copytree(ROOT / nom, dest / nom, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "nbgrader_config.py", dest / "nbgrader_config.py")
    return dest


def nbgrader(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=cwd, env=environnement_nbgrader(),
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc
