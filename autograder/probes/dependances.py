"""Which cells a task's code sees: its own, the locked ones, and the answer cells that define names it uses."""
from __future__ import annotations

import ast
import builtins

from .espace import PREIMPORTES
from .magies import sans_magies

PREFIXE_VERROUILLEE = "verrouillee-"


def _arbre(source: str) -> ast.Module | None:
    for texte in (source, sans_magies(source)):
        try:
            return ast.parse(texte)
        except SyntaxError:
            continue
    return None


def noms_definis(source: str) -> set[str]:
    """Top-level names a cell binds (assignments, functions, classes, imports, for/with targets)."""
    arbre = _arbre(source)
    if arbre is None:
        return set()
    noms: set[str] = set()
    for n in arbre.body:
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            noms.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            noms.update((a.asname or a.name).split(".")[0] for a in n.names if a.name != "*")
        else:
            noms.update(x.id for x in ast.walk(n) if isinstance(x, ast.Name) and isinstance(x.ctx, ast.Store))
    return noms


def noms_utilises(source: str) -> set[str]:
    """Names a cell reads anywhere (functions included), less builtins: what it may need from other cells."""
    arbre = _arbre(source)
    if arbre is None:
        return set()
    lus = {x.id for x in ast.walk(arbre) if isinstance(x, ast.Name) and isinstance(x.ctx, ast.Load)}
    globaux = {nom for x in ast.walk(arbre) if isinstance(x, ast.Global) for nom in x.names}
    # threading, queue and time are in every cell's namespace already: importing them makes no dependency.
    return (lus | globaux) - set(dir(builtins)) - set(PREIMPORTES)


def cellules_vues(ordre: dict[str, str], principales: list[str], remplacees: set[str]) -> dict[str, str]:
    """The cells to load for ``principales``, in notebook order.

    Locked cells always load; an answer cell loads when it defines a name the loaded cells use
    (transitively), as it would have run before the call in Jupyter. Cells in ``remplacees`` are left out:
    a known-good reference stands in for them. An unrelated answer cell never loads, so what it breaks
    (a crash, a hang at load) costs only its own task.
    """
    gardees = {g for g in ordre if g in principales or g.startswith(PREFIXE_VERROUILLEE)} - remplacees
    besoins: set[str] = set()
    for g in gardees:
        besoins |= noms_utilises(ordre[g])
    candidates = {g: noms_definis(s) for g, s in ordre.items() if g not in gardees and g not in remplacees}
    change = True
    while change:
        change = False
        for g, definis in candidates.items():
            if g not in gardees and definis & besoins:
                gardees.add(g)
                besoins |= noms_utilises(ordre[g])
                change = True
    return {g: s for g, s in ordre.items() if g in gardees}
