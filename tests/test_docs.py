"""The README and docs/ name only files, modules, commands and package data that exist in this repository."""
from __future__ import annotations

import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest

from autograder.cli import parser

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CODE = re.compile(r"`([^`\n]+)`")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
PATH_LIKE = re.compile(r"^[\w.<>*/-]+$")
PLACEHOLDER = re.compile(r"<[^>/]*>")
DOTTED = re.compile(r"^(autograder(?:\.\w+)+)$|^(\w+)\.(\w+)$")
# Files and folders of a course at run time (written by nbgrader, batch, collect, export): not in the repository.
EXTENSIONS = {"py", "md", "toml", "ipynb", "json", "html", "csv", "txt", "lock", "db", "zip", "pem", "log", "svg"}
NOT_IN_REPO = {"resultats", "submitted", "autograded", "feedback", "exports", "downloaded", "depot"}


def _tracked() -> list[str]:
    output = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return output.splitlines()


TRACKED = _tracked()
FOLDERS = {"/".join(Path(f).parts[:i]) for f in TRACKED for i in range(1, len(Path(f).parts))}
TOP_LEVEL = {Path(f).parts[0] for f in TRACKED}


def _spans(text: str) -> list[str]:
    """Inline code spans, outside fenced blocks."""
    return CODE.findall(FENCE.sub("", text))


def _pattern(path: str) -> re.Pattern[str]:
    """``path`` as a regex over repository paths: ``*`` within one folder, and each ``<name>``
    placeholder one folder-free value, the same wherever the name is repeated (``source/<id>/<id>.ipynb``)."""
    pieces, seen = [], set()
    for part in re.split(r"(<[^>/]*>|\*)", path):
        if part == "*":
            pieces.append("[^/]*")
        elif PLACEHOLDER.fullmatch(part):
            name = "p_" + re.sub(r"\W", "_", part[1:-1])
            pieces.append(f"(?P={name})" if name in seen else f"(?P<{name}>[^/]+)")
            seen.add(name)
        else:
            pieces.append(re.escape(part))
    return re.compile("".join(pieces))


def _exists(path: str) -> bool:
    """``path`` (``<id>`` placeholders and globs allowed) names a tracked file or folder of the repository."""
    pattern = _pattern(path.rstrip("/"))
    return any(pattern.fullmatch(f) for f in TRACKED) or any(pattern.fullmatch(d) for d in FOLDERS)


def _exists_as_suffix(path: str) -> bool:
    """A bare or partial name (``sandbox.py``, ``probes/api.py``) that some tracked file ends with."""
    pattern = _pattern(path)
    return any(pattern.fullmatch(f) or pattern.fullmatch(f.split("/", i)[-1])
               for f in TRACKED for i in range(1, f.count("/") + 1))


def named_paths(text: str) -> list[str]:
    """Paths an inline code span names that must be in the repository: under a top-level entry of it
    (``autograder/probes/api.py``, ``assignments/<id>/bareme.toml``), or a bare source or doc name
    (``sandbox.py``, ``SPEC.md``). Course files made at run time and dotted code names are left out."""
    name_set = []
    for s in _spans(text):
        s = s.strip()
        if not PATH_LIKE.match(s) or s.startswith(("-", ".", "/")):
            continue
        last = s.rstrip("/").split("/")[-1]
        extension = last.rsplit(".", 1)[1] if "." in last else ""
        if extension and extension not in EXTENSIONS:  # probes/harness.executer, Lock/RLock.acquire
            continue
        head = s.split("/")[0]
        if head in NOT_IN_REPO or head.startswith("<"):
            continue
        if head in TOP_LEVEL and ("/" in s or extension) or extension in ("py", "md"):
            name_set.append(s)
    return name_set


def _missing_paths(text: str) -> list[str]:
    missing = []
    for s in named_paths(text):
        head = s.split("/")[0]
        found = _exists(s) if head in TOP_LEVEL else _exists_as_suffix(s)
        if not found:
            missing.append(s)
    return missing


def test_a_missing_path_is_reported():
    text = ("See `SPEC.md`, `shared/design/contract.md`, `autograder/absent.py`, `assignments/<id>/test_<id>.py`, "
             "`autograder/probes/api.py`, `source/<id>/<id>.ipynb` and `tests/soumissions/<id>/*.py`.")
    assert _missing_paths(text) == ["SPEC.md", "shared/design/contract.md", "autograder/absent.py",
                                    "assignments/<id>/test_<id>.py"]


def _module(name: str) -> Path | None:
    """The file of a module named ``engine``, ``probes.harness`` or ``autograder.lms.collect``."""
    parts = name.removeprefix("autograder.").split(".")
    for base in (ROOT / "autograder", ROOT / "autograder" / "probes"):
        path = base.joinpath(*parts)
        if path.with_suffix(".py").is_file():
            return path.with_suffix(".py")
        if (path / "__init__.py").is_file():
            return path / "__init__.py"
    return None


def _defines(file_path: Path, name: str) -> bool:
    text = file_path.read_text(encoding="utf-8")
    return re.search(rf"^\s*(?:def|class)\s+{name}\b|^{name}\s*[:=]", text, re.M) is not None


def missing_names(text: str) -> list[str]:
    """``module.name`` spans (``engine.noter_notebook``, ``autograder.lms.export.CanvasExportPlugin``)
    whose module is a module of the package but does not define the name."""
    missing = []
    for s in _spans(text):
        s = s.strip().removesuffix("()")
        m = DOTTED.match(s)
        if not m or s.rsplit(".", 1)[1] in EXTENSIONS:  # a file name, not a module's name
            continue
        if m.group(1):  # autograder.a.b.Name: the longest module prefix, then one name in it
            parts = s.split(".")
            for i in range(len(parts), 1, -1):
                file_path = _module(".".join(parts[:i]))
                if file_path is not None:
                    rest = parts[i:]
                    if rest and not _defines(file_path, rest[0]):
                        missing.append(s)
                    break
            else:
                missing.append(s)
        else:
            file_path = _module(m.group(2))
            if file_path is not None and not _defines(file_path, m.group(3)):
                missing.append(s)
    return missing


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_docs_name_what_exists(doc: Path):
    """Every repository path and every ``module.name`` a doc writes in backticks exists."""
    text = doc.read_text(encoding="utf-8")
    assert _missing_paths(text) + missing_names(text) == []


def test_a_missing_name_is_reported():
    text = "`engine.grade_notebook`, `engine.absent`, `autograder.lms.collect.CanvasCollector`, `autograder.nulle`"
    assert missing_names(text) == ["engine.absent", "autograder.nulle"]


def _commands(text: str) -> list[tuple[list[str], bool]]:
    """``autograder …`` and ``make …`` command lines with whether they are complete: lines of shell blocks
    are (comments dropped); inline spans may only name the command (``autograder batch``)."""
    lines = [(s, False) for s in _spans(text)]
    for language, block in FENCE.findall(text):
        if language in ("bash", "sh", "shell"):
            lines += [(line, True) for line in block.splitlines()]
    commands = []
    for line, complete in lines:
        line = line.split(" #")[0].strip().removeprefix(".venv/bin/")
        if line.startswith(("autograder ", "make ")):
            commands.append((shlex.split(line.replace("…", "")), complete))
    return commands


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w.-]*):", text, re.M))


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_doc_commands_exist(doc: Path):
    target_list = _make_targets()
    under = next(a for a in parser()._subparsers._group_actions).choices
    for words, complete in _commands(doc.read_text(encoding="utf-8")):
        if words[0] == "make":
            assert set(words[1:]) <= target_list, words
            continue
        assert words[1] in under, words
        if complete and "--help" not in words:
            parser().parse_args(words[1:])  # exits (SystemExit) on a missing or unknown option


def test_package_data_exists():
    """pyproject.toml ships only packages and package data that exist."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    for package in config.get("packages", []):
        assert (ROOT / package.replace(".", "/") / "__init__.py").is_file(), package
    for package, patterns in config.get("package-data", {}).items():
        for pattern in patterns:
            assert list((ROOT / package.replace(".", "/")).glob(pattern)), f"{package}: {pattern}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_docs_stand_alone(doc: Path):
    """No pointer to the planning files outside the repository: the docs state the facts themselves."""
    assert re.findall(r"\bSPEC\b|\bshared/|\.\./", doc.read_text(encoding="utf-8")) == []


TEST_NAME = re.compile(r"\btest_\w+")


def _known_tests() -> set[str]:
    """Test functions and test modules of the project and of the hidden graders (and the package's own
    ``test_``-named helpers, such as ``notebook.test_grade_id``)."""
    known = set()
    for f in [*ROOT.glob("tests/*.py"), *ROOT.glob("assignments/*/test_*.py"), *ROOT.glob("autograder/**/*.py")]:
        known.update(re.findall(r"^\s*def (test_\w+)", f.read_text(encoding="utf-8"), re.M))
        known.add(f.stem)
    return known


def unknown_tests(text: str, known: set[str]) -> list[str]:
    """Test names in inline code spans that no test module defines."""
    return sorted({n for s in _spans(text) for n in TEST_NAME.findall(s)} - known)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_docs_name_existing_tests(doc: Path):
    assert unknown_tests(doc.read_text(encoding="utf-8"), _known_tests()) == []


def test_a_renamed_test_is_reported():
    text = "`tests/test_jail.py::test_sees_nothing_of_course`, `test_rien_du_cours`"
    assert unknown_tests(text, _known_tests()) == ["test_rien_du_cours"]
