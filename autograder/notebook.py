"""Read a submitted notebook defensively and take the student's solution cells by grade_id."""
from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path

TAILLE_MAX = 20 * 1024 * 1024
# A task's locked test cell has grade_id "test_" + task id (the notebooks, the gradebook and the exports agree).
PREFIXE_TEST = "test_"

MSG_ILLISIBLE = "Le fichier {nom} est illisible ({raison}) : déposez à nouveau votre notebook."
MSG_VIDE = "Le fichier {nom} est vide : déposez le notebook enregistré depuis Jupyter (Fichier > Enregistrer)."
MSG_TROP_GROS = "Le fichier {nom} dépasse {max} Mo : videz les sorties (Kernel > Restart & Clear Output) et déposez-le à nouveau."
MSG_PAS_JSON = ("Le fichier {nom} n'est pas un notebook Jupyter (JSON invalide, ligne {ligne}) : déposez le fichier "
                ".ipynb enregistré depuis Jupyter, sans le modifier à la main.")
MSG_PAS_NOTEBOOK = ("Le fichier {nom} est du JSON mais pas un notebook Jupyter ({raison}) : déposez le fichier "
                    ".ipynb du devoir.")
MSG_DOUBLON = "La cellule « {gid} » apparaît {n} fois : seule la première est notée. Supprimez les copies."
MSG_TESTS_MODIFIES = ("Les cellules de test verrouillées ({ids}) ont été modifiées ou supprimées : elles sont "
                      "ignorées, la correction utilise toujours les tests originaux.")
MSG_ABSENTE = ("La cellule à compléter « {gid} » est absente de votre notebook (supprimée, ou son identifiant a "
               "changé) : cette partie vaut 0. Reprenez-la depuis la version distribuée.")
MSG_PAS_CODE = "La cellule « {gid} » n'est plus une cellule de code : elle est ignorée."


@dataclass
class Lecture:
    """What the engine needs from a submission: solution sources, and sentences for the student."""

    cellules: dict[str, str] = field(default_factory=dict)
    # Every cell a task's code sees, in the source notebook's order: the instructor's locked code cells
    # (from source/, definitions only) and the student's answer cells.
    ordre: dict[str, str] = field(default_factory=dict)
    erreurs: list[str] = field(default_factory=list)
    fatal: str | None = None


def nbgrader_meta(cell: dict) -> dict:
    """A cell's nbgrader metadata ({} when missing or malformed); plain JSON cells and NotebookNodes alike."""
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    nb = meta.get("nbgrader") if isinstance(meta, dict) else None
    return nb if isinstance(nb, dict) else {}


def id_test(tache: str) -> str:
    """grade_id of the locked test cell that grades ``tache``."""
    return PREFIXE_TEST + tache


def tache_testee(grade_id: str) -> str | None:
    """The task a locked test cell grades, read from its grade_id (None: not a task's test cell)."""
    return grade_id[len(PREFIXE_TEST):] if grade_id.startswith(PREFIXE_TEST) else None


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    if isinstance(src, list):
        return "".join(s for s in src if isinstance(s, str))
    return src if isinstance(src, str) else ""


def cellules_de_test(nb: dict) -> dict[str, str]:
    """grade_id -> source of every locked test cell (grade without solution)."""
    res = {}
    for cell in nb.get("cells", []):
        m = nbgrader_meta(cell)
        if m.get("grade") and not m.get("solution") and isinstance(m.get("grade_id"), str):
            res[m["grade_id"]] = _source(cell)
    return res


def lire_notebook(chemin: Path) -> tuple[dict | None, str | None]:
    """Parse ``chemin`` as a v4 notebook; (notebook, None) or (None, French reason)."""
    nom = chemin.name
    try:
        taille = chemin.stat().st_size
        if taille > TAILLE_MAX:
            return None, MSG_TROP_GROS.format(nom=nom, max=TAILLE_MAX // (1024 * 1024))
        brut = chemin.read_bytes()
    except OSError as e:
        return None, MSG_ILLISIBLE.format(nom=nom, raison=e.strerror or type(e).__name__)
    if not brut.strip():
        return None, MSG_VIDE.format(nom=nom)
    try:
        texte = brut.decode("utf-8")
        donnees = json.loads(texte)
    except UnicodeDecodeError:
        return None, MSG_ILLISIBLE.format(nom=nom, raison="pas du texte UTF-8")
    except json.JSONDecodeError as e:
        return None, MSG_PAS_JSON.format(nom=nom, ligne=e.lineno)
    except RecursionError:  # json recurses per nesting level: a hand-made file can nest deeper than Python
        return None, MSG_PAS_NOTEBOOK.format(nom=nom, raison="imbrication trop profonde")
    if not isinstance(donnees, dict) or not isinstance(donnees.get("cells"), list):
        return None, MSG_PAS_NOTEBOOK.format(nom=nom, raison="pas de liste « cells »")
    # Plain json rather than nbformat.reads: importing nbformat and validating a notebook costs ~0.15 s of
    # CPU (0.12 s import, 0.03 s validation, pinned jsonschema 4.23) against 0.2 ms here, paid by every
    # `autograder grade`; the engine needs only v4 cells.
    if donnees.get("nbformat") != 4:
        return None, MSG_PAS_NOTEBOOK.format(nom=nom, raison=f"format {donnees.get('nbformat')!r} au lieu de 4")
    if not all(isinstance(c, dict) for c in donnees["cells"]):
        return None, MSG_PAS_NOTEBOOK.format(nom=nom, raison="cellule qui n'est pas un objet")
    return donnees, None


def lire_soumission(chemin: Path, source: Path) -> Lecture:
    """Solution cells of ``chemin``; locked test cells are compared with the instructor's ``source``."""
    nb, raison = lire_notebook(chemin)
    if nb is None:
        return Lecture(fatal=raison)
    lecture = Lecture()
    vus: dict[str, int] = {}
    for cell in nb.get("cells", []):
        m = nbgrader_meta(cell)
        gid = m.get("grade_id")
        if not m.get("solution") or not isinstance(gid, str):
            continue
        if cell.get("cell_type") != "code":
            if m.get("grade"):
                continue  # a hand-graded answer (Markdown): not the engine's business
            lecture.erreurs.append(MSG_PAS_CODE.format(gid=gid))
            continue
        vus[gid] = vus.get(gid, 0) + 1
        if vus[gid] == 1:
            lecture.cellules[gid] = _source(cell)
    for gid, n in vus.items():
        if n > 1:
            lecture.erreurs.append(MSG_DOUBLON.format(gid=gid, n=n))
    nb_source = json.loads(source.read_text(encoding="utf-8"))
    for cell in nb_source.get("cells", []):
        m = nbgrader_meta(cell)
        if m.get("solution") and cell.get("cell_type") == "code" and m.get("grade_id") not in lecture.cellules:
            lecture.erreurs.append(MSG_ABSENTE.format(gid=m.get("grade_id")))
    lecture.ordre = ordre_de_chargement(nb_source, lecture.cellules)
    originaux = cellules_de_test(nb_source)
    soumis = cellules_de_test(nb)
    modifies = [gid for gid, src in originaux.items() if soumis.get(gid) is None
                or _sans_cache(soumis[gid]) != _sans_cache(src)]
    if modifies:
        lecture.erreurs.append(MSG_TESTS_MODIFIES.format(ids=", ".join(modifies)))
    return lecture


def _sans_cache(src: str) -> str:
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
    from .probes.magies import sans_magies
    try:
        arbre = ast.parse(sans_magies(source))
    except SyntaxError:
        return ""
    garde = []
    for n in arbre.body:
        if isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            garde.append(n)
        elif isinstance(n, (ast.Assign, ast.AnnAssign)) and n.value is not None and not any(
                isinstance(x, (ast.Call, ast.Await, ast.Yield, ast.YieldFrom)) for x in ast.walk(n.value)):
            garde.append(n)
    return ast.unparse(ast.Module(body=garde, type_ignores=[])) if garde else ""


def ordre_de_chargement(nb_source: dict, cellules: dict[str, str]) -> dict[str, str]:
    """Locked code cells (definitions, from the instructor's notebook) and answer cells, in notebook order."""
    ordre: dict[str, str] = {}
    for k, cell in enumerate(nb_source.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        m = nbgrader_meta(cell)
        gid = m.get("grade_id")
        if m.get("solution"):
            if isinstance(gid, str) and gid in cellules:
                ordre[gid] = cellules[gid]
        elif not m.get("grade"):
            texte = definitions(_source(cell))
            if texte:
                ordre[f"verrouillee-{k}"] = texte
    return ordre
