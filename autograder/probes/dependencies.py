"""Which cells a task's code sees: its own, the locked ones, and the answer cells that define names it uses."""
from __future__ import annotations

import ast
import builtins
import functools

from .space import PREIMPORTED
from .magics import without_magics

LOCKED_PREFIX = "verrouillee-"


def _tree(source: str) -> ast.Module | None:
    for texte in (source, without_magics(source)):
        try:
            return ast.parse(texte)
        except SyntaxError:
            continue
    return None


# Cached: every check of a submission asks again about the same few cells (a fifth of a grading process's
# own time went to walking their syntax trees). Pure functions of the source; frozen results.
@functools.lru_cache(maxsize=256)
def defined_names(source: str) -> frozenset[str]:
    """Top-level names a cell binds (assignments, functions, classes, imports, for/with targets)."""
    tree = _tree(source)
    if tree is None:
        return frozenset()
    name_set: set[str] = set()
    for n in tree.body:
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            name_set.add(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            name_set.update((a.asname or a.name).split(".")[0] for a in n.names if a.name != "*")
        else:
            name_set.update(x.id for x in ast.walk(n) if isinstance(x, ast.Name) and isinstance(x.ctx, ast.Store))
    return frozenset(name_set)


@functools.lru_cache(maxsize=256)
def used_names(source: str) -> frozenset[str]:
    """Names a cell reads anywhere (functions included), less builtins: what it may need from other cells."""
    tree = _tree(source)
    if tree is None:
        return frozenset()
    read_items = {x.id for x in ast.walk(tree) if isinstance(x, ast.Name) and isinstance(x.ctx, ast.Load)}
    module_globals = {nom for x in ast.walk(tree) if isinstance(x, ast.Global) for nom in x.names}
    # threading, queue and time are in every cell's namespace already: importing them makes no dependency.
    return frozenset((read_items | module_globals) - set(dir(builtins)) - set(PREIMPORTED))


def seen_cells(order: dict[str, str], main: list[str], replaced: set[str],
               provided: frozenset[str] = frozenset()) -> dict[str, str]:
    """The cells to load for ``principales``, in notebook order.

    Locked cells always load; an answer cell loads when it defines a name the loaded cells use
    (transitively), as it would have run before the call in Jupyter. A cell in ``remplacees`` has a
    known-good reference standing in for it, which defines ``provided``: it loads only when it also defines
    another name the loaded cells use (a helper, a constant, an import next to the graded function, which
    the notebook says are available further down); the reference, loaded after it, still replaces the
    graded names. An unrelated answer cell never loads, so what it breaks (a crash, a hang at load) costs
    only its own task.
    """
    kept = {g for g in order if g in main or g.startswith(LOCKED_PREFIX)} - replaced
    besoins: set[str] = set()
    for g in kept:
        besoins |= used_names(order[g])
    candidates = {g: defined_names(s) - (provided if g in replaced else frozenset())
                  for g, s in order.items() if g not in kept}
    change = True
    while change:
        change = False
        for g, defined in candidates.items():
            if g not in kept and defined & besoins:
                kept.add(g)
                besoins |= used_names(order[g])
                change = True
    return {g: s for g, s in order.items() if g in kept}
