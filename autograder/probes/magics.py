"""IPython magics and shell escapes in a student cell, made plain Python with the same line numbers.

IPython's own TransformerManager turns ``%%time`` cells into a string passed to ``run_cell_magic``,
which only a running IPython can execute; a grader needs the cell's code itself, so this is hand-written.
It is used only on a cell that does not compile as it is (harness.compiler), so valid Python is untouched.
"""
from __future__ import annotations

# Cell magics whose body is ordinary code that the kernel runs: the body is kept.
CODE_CELL = frozenset({"time", "capture", "prun"})
# Line magics whose argument is a statement the kernel runs once: the statement is kept.
CODE_LINE = frozenset({"time"})


def without_magics(source: str) -> str:
    """``source`` with magics turned into code or ``pass`` (a non-Python cell magic: all commented out)."""
    lignes = source.split("\n")
    first = lignes[0].strip() if lignes else ""
    if first.startswith("%%"):
        nom = first[2:].split(None, 1)[0] if first[2:].strip() else ""
        if nom not in CODE_CELL:  # %%bash, %%writefile...: the kernel would not run it as Python either
            return "\n".join("# " + line for line in lignes)
        lignes[0] = "pass"
    resultat = []
    for line in lignes:
        texte = line.lstrip()
        withdrawal = line[: len(line) - len(texte)]
        if texte.startswith("!") or (texte.startswith("%") and not texte.startswith("%%")):
            nom, _, rest = texte.lstrip("%").partition(" ")
            guard = texte.startswith("%") and nom in CODE_LINE and rest.strip()
            resultat.append(withdrawal + (rest.strip() if guard else "pass"))
        else:
            resultat.append(line)
    return "\n".join(resultat)
