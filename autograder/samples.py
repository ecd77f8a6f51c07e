"""Build submission notebooks from the release and short variant files (``# %% grade_id`` sections)."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

from .assignment import Assignment
from .notebook import nbgrader_meta

SECTION = re.compile(r"^# %% (\S+)\s*$", re.M)
HEADER = re.compile(r"^# (\w+) ?: ?(.*)$", re.M)


def sections(texte: str) -> dict[str, str]:
    """``# %% gid`` -> the code below it, up to the next section."""
    pieces = SECTION.split(texte)
    return {pieces[i]: pieces[i + 1].strip("\n") + "\n" for i in range(1, len(pieces), 2)}


def header(texte: str) -> dict[str, str]:
    """``# attendu: a=1, b=2`` style header lines before the first section."""
    avant = SECTION.split(texte)[0]
    return {k: v.strip() for k, v in HEADER.findall(avant)}


def without_markers(source: str) -> str:
    """A solution cell as a student would write it: nbgrader's solution markers removed."""
    lignes = [line for line in source.splitlines() if line.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
    return "\n".join(lignes) + "\n"


def build(assignment: Assignment, variants: dict[str, str], *, base: str = "solution") -> nbformat.NotebookNode:
    """The release notebook with solution cells filled from the reference (``base='solution'``) or left
    blank (``'vide'``), then overridden by ``variantes`` (a value of None deletes the cell)."""
    release = nbformat.read(assignment.root / "release" / assignment.id / f"{assignment.id}.ipynb", as_version=4)
    source = nbformat.read(assignment.notebook_source, as_version=4)
    references = {nbgrader_meta(c).get("grade_id"): c.source for c in source.cells}
    cellules = []
    for cell in release.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        solution = nbgrader_meta(cell).get("solution")
        if solution and cell.cell_type == "code":
            if gid in variants:
                if variants[gid] is None:
                    continue
                cell.source = variants[gid]
            elif base == "solution":
                cell.source = without_markers(references[gid])
        cellules.append(cell)
    release.cells = cellules
    return release


def write_variant(assignment: Assignment, file_path: Path, destination: Path) -> Path:
    """Write the notebook for variant ``fichier`` at ``destination``."""
    texte = file_path.read_text(encoding="utf-8")
    base = "vide" if header(texte).get("description", "").startswith("vide") else "solution"
    nb = build(assignment, sections(texte), base=base)
    destination.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, destination)
    return destination
