"""Read a submitted notebook defensively and take the student's solution cells by grade_id."""
from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

SIZE_MAX = 20 * 1024 * 1024
# A task's locked test cell has grade_id "test_" + task id (the notebooks, the gradebook and the exports agree).
TEST_PREFIX = "test_"

MSG_UNREADABLE = "Le fichier {nom} est illisible ({raison}) : déposez à nouveau votre notebook."
MSG_SYMLINK = ("Le fichier {nom} est un lien symbolique, pas un notebook : il n'est pas noté. Déposez le notebook "
               "lui-même (Fichier > Télécharger dans Jupyter).")
MSG_EMPTY = "Le fichier {nom} est vide : déposez le notebook enregistré depuis Jupyter (Fichier > Enregistrer)."
MSG_TOO_BIG = "Le fichier {nom} dépasse {max} Mo : videz les sorties (Kernel > Restart & Clear Output) et déposez-le à nouveau."
MSG_NOT_JSON = ("Le fichier {nom} n'est pas un notebook Jupyter (JSON invalide, ligne {ligne}) : déposez le fichier "
                ".ipynb enregistré depuis Jupyter, sans le modifier à la main.")
MSG_NOT_NOTEBOOK = ("Le fichier {nom} est du JSON mais pas un notebook Jupyter ({raison}) : déposez le fichier "
                    ".ipynb du devoir.")
MSG_DUPLICATE = "La cellule « {gid} » apparaît {n} fois : seule la première est notée. Supprimez les copies."
MSG_MODIFIED_TESTS = ("Les cellules de test verrouillées ({ids}) ont été modifiées ou supprimées : elles sont "
                      "ignorées, la correction utilise toujours les tests originaux.")
MSG_MISSING = ("La cellule à compléter « {gid} » est absente de votre notebook (supprimée, ou son identifiant a "
               "changé) : cette partie vaut 0. Reprenez-la depuis la version distribuée.")
MSG_NOT_CODE = "La cellule « {gid} » n'est plus une cellule de code : elle est ignorée."


@dataclass
class Reading:
    """What the engine needs from a submission: solution sources, and sentences for the student."""

    cellules: dict[str, str] = field(default_factory=dict)
    # Every cell a task's code sees, in the source notebook's order: the instructor's locked code cells
    # (from source/, definitions only) and the student's answer cells.
    order: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    fatal: str | None = None


def nbgrader_meta(cell: dict) -> dict:
    """A cell's nbgrader metadata ({} when missing or malformed); plain JSON cells and NotebookNodes alike."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    nb = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nb if isinstance(nb, dict) else {}


def test_grade_id(task: str) -> str:
    """grade_id of the locked test cell that grades ``tache``."""
    return TEST_PREFIX + task


def tested_task(grade_id: str) -> str | None:
    """The task a locked test cell grades, read from its grade_id (None: not a task's test cell)."""
    return grade_id[len(TEST_PREFIX):] if grade_id.startswith(TEST_PREFIX) else None


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    if isinstance(src, list):
        return "".join(s for s in src if isinstance(s, str))
    return src if isinstance(src, str) else ""


def test_cells(nb: dict) -> dict[str, str]:
    """grade_id -> source of every locked test cell (grade without solution)."""
    res = {}
    for cell in nb.get("cells", []):
        m = nbgrader_meta(cell)
        if m.get("grade") and not m.get("solution") and isinstance(m.get("grade_id"), str):
            res[m["grade_id"]] = _source(cell)
    return res


def read_notebook(path: Path) -> tuple[dict | None, str | None]:
    """Parse ``chemin`` as a v4 notebook; (notebook, None) or (None, French reason)."""
    nom = path.name
    if path.is_symlink():  # it could point at a classmate's notebook or at course files
        return None, MSG_SYMLINK.format(nom=nom)
    try:
        size = path.stat().st_size
        if size > SIZE_MAX:
            return None, MSG_TOO_BIG.format(nom=nom, max=SIZE_MAX // (1024 * 1024))
        raw = path.read_bytes()
    except OSError as e:
        return None, MSG_UNREADABLE.format(nom=nom, raison=e.strerror or type(e).__name__)
    if not raw.strip():
        return None, MSG_EMPTY.format(nom=nom)
    try:
        texte = raw.decode("utf-8")
        donnees = json.loads(texte)
    except UnicodeDecodeError:
        return None, MSG_UNREADABLE.format(nom=nom, raison="pas du texte UTF-8")
    except json.JSONDecodeError as e:
        return None, MSG_NOT_JSON.format(nom=nom, ligne=e.lineno)
    except RecursionError:  # json recurses per nesting level: a hand-made file can nest deeper than Python
        return None, MSG_NOT_NOTEBOOK.format(nom=nom, raison="imbrication trop profonde")
    if not isinstance(donnees, dict) or not isinstance(donnees.get("cells"), list):
        return None, MSG_NOT_NOTEBOOK.format(nom=nom, raison="pas de liste « cells »")
    # Plain json rather than nbformat.reads: importing nbformat and validating a notebook costs ~0.15 s of
    # CPU (0.12 s import, 0.03 s validation, pinned jsonschema 4.23) against 0.2 ms here, paid by every
    # `autograder grade`; the engine needs only v4 cells.
    if donnees.get("nbformat") != 4:
        return None, MSG_NOT_NOTEBOOK.format(nom=nom, raison=f"format {donnees.get('nbformat')!r} au lieu de 4")
    if not all(isinstance(c, dict) for c in donnees["cells"]):
        return None, MSG_NOT_NOTEBOOK.format(nom=nom, raison="cellule qui n'est pas un objet")
    return donnees, None


def read_submission(path: Path, source: Path) -> Reading:
    """Solution cells of ``chemin``; locked test cells are compared with the instructor's ``source``."""
    nb, reason = read_notebook(path)
    if nb is None:
        return Reading(fatal=reason)
    reading = Reading()
    seen: dict[str, int] = {}
    for cell in nb.get("cells", []):
        m = nbgrader_meta(cell)
        gid = m.get("grade_id")
        if not m.get("solution") or not isinstance(gid, str):
            continue
        if cell.get("cell_type") != "code":
            if m.get("grade"):
                continue  # a hand-graded answer (Markdown): not the engine's business
            reading.errors.append(MSG_NOT_CODE.format(gid=gid))
            continue
        seen[gid] = seen.get(gid, 0) + 1
        if seen[gid] == 1:
            reading.cellules[gid] = _source(cell)
    for gid, n in seen.items():
        if n > 1:
            reading.errors.append(MSG_DUPLICATE.format(gid=gid, n=n))
    nb_source = json.loads(source.read_text(encoding="utf-8"))
    for cell in nb_source.get("cells", []):
        m = nbgrader_meta(cell)
        if m.get("solution") and cell.get("cell_type") == "code" and m.get("grade_id") not in reading.cellules:
            reading.errors.append(MSG_MISSING.format(gid=m.get("grade_id")))
    reading.order = loading_order(nb_source, reading.cellules)
    originals = test_cells(nb_source)
    submitted = test_cells(nb)
    modified = [gid for gid, src in originals.items() if submitted.get(gid) is None
                or _without_cache(submitted[gid]) != _without_cache(src)]
    if modified:
        reading.errors.append(MSG_MODIFIED_TESTS.format(ids=", ".join(modified)))
    return reading


def _without_cache(src: str) -> str:
    """A test cell as released: the hidden part is not in the student's copy."""
    debut, fin = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
    # Each pass removes text, so the loop ends whatever the markers' order (an END before its BEGIN
    # once made this loop forever, before any time limit applied).
    i = src.find(debut)
    while i >= 0:
        j = src.find(fin, i)
        if j < 0:
            break
        src = src[:i] + src[j + len(fin):]
        i = src.find(debut)
    return src.strip()


def definitions(source: str) -> str:
    """The part of a locked cell that defines names: imports, functions, classes, and assignments
    without calls. Demonstrations and quick tests (calls) are left out: they would run at every load."""
    from .probes.magics import without_magics
    try:
        tree = ast.parse(without_magics(source))
    except SyntaxError:
        return ""
    guard = []
    for n in tree.body:
        if isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            guard.append(n)
        elif isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None and not any(
                isinstance(x, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom)) for x in ast.walk(n.value)):
            guard.append(n)
    return ast.unparse(ast.Module(body=guard, type_ignores=[])) if guard else ""


def loading_order(nb_source: dict, cellules: dict[str, str]) -> dict[str, str]:
    """Locked code cells (definitions, from the instructor's notebook) and answer cells, in notebook order."""
    order: dict[str, str] = {}
    for k, cell in enumerate(nb_source.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        m = nbgrader_meta(cell)
        gid = m.get("grade_id")
        if m.get("solution"):
            if isinstance(gid, str) and gid in cellules:
                order[gid] = cellules[gid]
        elif not m.get("grade"):
            texte = definitions(_source(cell))
            if texte:
                order[f"verrouillee-{k}"] = texte
    return order
