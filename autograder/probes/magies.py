"""IPython magics and shell escapes in a student cell, made plain Python with the same line numbers.

IPython's own TransformerManager turns ``%%time`` cells into a string passed to ``run_cell_magic``,
which only a running IPython can execute; a grader needs the cell's code itself, so this is hand-written.
It is used only on a cell that does not compile as it is (harness.compiler), so valid Python is untouched.
"""
from __future__ import annotations

# Cell magics whose body is ordinary code that the kernel runs: the body is kept.
CELLULE_CODE = frozenset({"time", "capture", "prun"})
# Line magics whose argument is a statement the kernel runs once: the statement is kept.
LIGNE_CODE = frozenset({"time"})


def sans_magies(source: str) -> str:
    """``source`` with magics turned into code or ``pass`` (a non-Python cell magic: all commented out)."""
    lignes = source.split("\n")
    premiere = lignes[0].strip() if lignes else ""
    if premiere.startswith("%%"):
        nom = premiere[2:].split(None, 1)[0] if premiere[2:].strip() else ""
        if nom not in CELLULE_CODE:  # %%bash, %%writefile...: the kernel would not run it as Python either
            return "\n".join("# " + ligne for ligne in lignes)
        lignes[0] = "pass"
    resultat = []
    for ligne in lignes:
        texte = ligne.lstrip()
        retrait = ligne[: len(ligne) - len(texte)]
        if texte.startswith("!") or (texte.startswith("%") and not texte.startswith("%%")):
            nom, _, reste = texte.lstrip("%").partition(" ")
            garde = texte.startswith("%") and nom in LIGNE_CODE and reste.strip()
            resultat.append(retrait + (reste.strip() if garde else "pass"))
        else:
            resultat.append(ligne)
    return "\n".join(resultat)
