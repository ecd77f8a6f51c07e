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
BLOC = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)
CHEMIN = re.compile(r"^[\w.<>*/-]+$")
PLACEHOLDER = re.compile(r"<[^>/]*>")
DOTTED = re.compile(r"^(autograder(?:\.\w+)+)$|^(\w+)\.(\w+)$")
# Files and folders of a course at run time (written by nbgrader, batch, collect, export): not in the repository.
EXTENSIONS = {"py", "md", "toml", "ipynb", "json", "html", "csv", "txt", "lock", "db", "zip", "pem", "log", "svg"}
HORS_DEPOT = {"resultats", "submitted", "autograded", "feedback", "exports", "downloaded", "depot"}


def _suivis() -> list[str]:
    output = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return output.splitlines()


SUIVIS = _suivis()
DOSSIERS = {"/".join(Path(f).parts[:i]) for f in SUIVIS for i in range(1, len(Path(f).parts))}
RACINES = {Path(f).parts[0] for f in SUIVIS}


def _segments(texte: str) -> list[str]:
    """Inline code spans, outside fenced blocks."""
    return CODE.findall(BLOC.sub("", texte))


def _motif(path: str) -> re.Pattern[str]:
    """``chemin`` as a regex over repository paths: ``*`` within one folder, and each ``<name>``
    placeholder one folder-free value, the same wherever the name is repeated (``source/<id>/<id>.ipynb``)."""
    pieces, seen = [], set()
    for partie in re.split(r"(<[^>/]*>|\*)", path):
        if partie == "*":
            pieces.append("[^/]*")
        elif PLACEHOLDER.fullmatch(partie):
            nom = "p_" + re.sub(r"\W", "_", partie[1:-1])
            pieces.append(f"(?P={nom})" if nom in seen else f"(?P<{nom}>[^/]+)")
            seen.add(nom)
        else:
            pieces.append(re.escape(partie))
    return re.compile("".join(pieces))


def _existe(path: str) -> bool:
    """``chemin`` (``<id>`` placeholders and globs allowed) names a tracked file or folder of the repository."""
    pattern = _motif(path.rstrip("/"))
    return any(pattern.fullmatch(f) for f in SUIVIS) or any(pattern.fullmatch(d) for d in DOSSIERS)


def _existe_en_suffixe(path: str) -> bool:
    """A bare or partial name (``sandbox.py``, ``probes/api.py``) that some tracked file ends with."""
    pattern = _motif(path)
    return any(pattern.fullmatch(f) or pattern.fullmatch(f.split("/", i)[-1])
               for f in SUIVIS for i in range(1, f.count("/") + 1))


def chemins_nommes(texte: str) -> list[str]:
    """Paths an inline code span names that must be in the repository: under a top-level entry of it
    (``autograder/probes/api.py``, ``assignments/<id>/bareme.toml``), or a bare source or doc name
    (``sandbox.py``, ``SPEC.md``). Course files made at run time and dotted code names are left out."""
    name_set = []
    for s in _segments(texte):
        s = s.strip()
        if not CHEMIN.match(s) or s.startswith(("-", ".", "/")):
            continue
        dernier = s.rstrip("/").split("/")[-1]
        extension = dernier.rsplit(".", 1)[1] if "." in dernier else ""
        if extension and extension not in EXTENSIONS:  # probes/harness.executer, Lock/RLock.acquire
            continue
        head = s.split("/")[0]
        if head in HORS_DEPOT or head.startswith("<"):
            continue
        if head in RACINES and ("/" in s or extension) or extension in ("py", "md"):
            name_set.append(s)
    return name_set


def _introuvables(texte: str) -> list[str]:
    manquants = []
    for s in chemins_nommes(texte):
        head = s.split("/")[0]
        trouve = _existe(s) if head in RACINES else _existe_en_suffixe(s)
        if not trouve:
            manquants.append(s)
    return manquants


def test_un_chemin_absent_est_signale():
    texte = ("See `SPEC.md`, `shared/design/contract.md`, `autograder/absent.py`, `assignments/<id>/test_<id>.py`, "
             "`autograder/probes/api.py`, `source/<id>/<id>.ipynb` and `tests/soumissions/<id>/*.py`.")
    assert _introuvables(texte) == ["SPEC.md", "shared/design/contract.md", "autograder/absent.py",
                                    "assignments/<id>/test_<id>.py"]


def _module(nom: str) -> Path | None:
    """The file of a module named ``engine``, ``probes.harness`` or ``autograder.lms.collect``."""
    parts = nom.removeprefix("autograder.").split(".")
    for base in (ROOT / "autograder", ROOT / "autograder" / "probes"):
        path = base.joinpath(*parts)
        if path.with_suffix(".py").is_file():
            return path.with_suffix(".py")
        if (path / "__init__.py").is_file():
            return path / "__init__.py"
    return None


def _defini(file_path: Path, nom: str) -> bool:
    texte = file_path.read_text(encoding="utf-8")
    return re.search(rf"^\s*(?:def|class)\s+{nom}\b|^{nom}\s*[:=]", texte, re.M) is not None


def noms_introuvables(texte: str) -> list[str]:
    """``module.name`` spans (``engine.noter_notebook``, ``autograder.lms.export.CanvasExportPlugin``)
    whose module is a module of the package but does not define the name."""
    manquants = []
    for s in _segments(texte):
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
                    if rest and not _defini(file_path, rest[0]):
                        manquants.append(s)
                    break
            else:
                manquants.append(s)
        else:
            file_path = _module(m.group(2))
            if file_path is not None and not _defini(file_path, m.group(3)):
                manquants.append(s)
    return manquants


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_les_docs_nomment_ce_qui_existe(doc: Path):
    """Every repository path and every ``module.name`` a doc writes in backticks exists."""
    texte = doc.read_text(encoding="utf-8")
    assert _introuvables(texte) + noms_introuvables(texte) == []


def test_un_nom_absent_est_signale():
    texte = "`engine.grade_notebook`, `engine.absent`, `autograder.lms.collect.CanvasCollector`, `autograder.nulle`"
    assert noms_introuvables(texte) == ["engine.absent", "autograder.nulle"]


def _commandes(texte: str) -> list[tuple[list[str], bool]]:
    """``autograder …`` and ``make …`` command lines with whether they are complete: lines of shell blocks
    are (comments dropped); inline spans may only name the command (``autograder batch``)."""
    lignes = [(s, False) for s in _segments(texte)]
    for langage, bloc in BLOC.findall(texte):
        if langage in ("bash", "sh", "shell"):
            lignes += [(line, True) for line in bloc.splitlines()]
    commandes = []
    for line, complete in lignes:
        line = line.split(" #")[0].strip().removeprefix(".venv/bin/")
        if line.startswith(("autograder ", "make ")):
            commandes.append((shlex.split(line.replace("…", "")), complete))
    return commandes


def _cibles_make() -> set[str]:
    texte = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w.-]*):", texte, re.M))


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_commandes_des_docs_existent(doc: Path):
    target_list = _cibles_make()
    under = next(a for a in parser()._subparsers._group_actions).choices
    for mots, complete in _commandes(doc.read_text(encoding="utf-8")):
        if mots[0] == "make":
            assert set(mots[1:]) <= target_list, mots
            continue
        assert mots[1] in under, mots
        if complete and "--help" not in mots:
            parser().parse_args(mots[1:])  # exits (SystemExit) on a missing or unknown option


def test_donnees_du_paquet_existent():
    """pyproject.toml ships only packages and package data that exist."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    for package in config.get("packages", []):
        assert (ROOT / package.replace(".", "/") / "__init__.py").is_file(), package
    for package, motifs in config.get("package-data", {}).items():
        for pattern in motifs:
            assert list((ROOT / package.replace(".", "/")).glob(pattern)), f"{package}: {pattern}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_les_docs_se_suffisent(doc: Path):
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


def unknown_tests(texte: str, known: set[str]) -> list[str]:
    """Test names in inline code spans that no test module defines."""
    return sorted({n for s in _segments(texte) for n in TEST_NAME.findall(s)} - known)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_docs_name_existing_tests(doc: Path):
    assert unknown_tests(doc.read_text(encoding="utf-8"), _known_tests()) == []


def test_a_renamed_test_is_reported():
    texte = "`tests/test_jail.py::test_sees_nothing_of_course`, `test_rien_du_cours`"
    assert unknown_tests(texte, _known_tests()) == ["test_rien_du_cours"]
