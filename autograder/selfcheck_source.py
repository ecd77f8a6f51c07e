"""Find the source text of the notebook cell that defined a name in the student's kernel."""
from __future__ import annotations

import ast
import linecache
from types import CodeType, FunctionType
from typing import Any

from .probes.magics import without_magics

MSG_NOT_DEFINED = ("« {nom} » n'est pas défini dans ce notebook : exécutez d'abord la cellule où vous l'écrivez "
                  "(menu Exécuter), puis relancez cette cellule.")
MSG_SOURCE_NOT_FOUND = ("Impossible de retrouver le code de la cellule qui définit « {nom} » : réexécutez cette "
                          "cellule, puis relancez l'auto-vérification.")

# Why the source and not the live object: the probes must load the cell under their own stand-ins
# (a Lock created by the real threading module cannot be observed), exactly as the grader loads it.
# Which source: the cell that produced the CURRENT definition. IPython compiles every cell under its
# own file name and keeps its text in linecache, so the code object of the live function (or of a
# method of the live class) names the very cell that defined it, even when cells ran out of order or
# were edited since. That text is IPython's transformed cell (magics rewritten as calls); the raw
# cell is found in the input history, since magics are neutralized the grader's way (probes.magies).
# When the definition has no such file name (a cell under %%time, a class without methods), the
# newest cell of the input history that defines the name at top level is used instead.


class SourceNotFound(Exception):
    """The cell that defined a name cannot be found; the message is French, for the student."""


def _ipython() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


def _codes(obj: Any) -> list[CodeType]:
    """Code objects the definition of ``obj`` went through (a function, or a class's methods)."""
    if isinstance(obj, FunctionType):
        return [obj.__code__]
    codes = []
    if isinstance(obj, type):
        for valeur in vars(obj).values():
            for f in (valeur, getattr(valeur, "fget", None), getattr(valeur, "__func__", None)):
                if isinstance(f, FunctionType):
                    codes.append(f.__code__)
    return codes


def defines(source: str, name: str) -> bool:
    """True when ``source`` defines ``name`` at its top level (def, class or assignment)."""
    try:
        tree = ast.parse(without_magics(source))
    except SyntaxError:
        return False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == name:
            return True
        target_list = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(c, ast.Name) and c.id == name for c in target_list):
            return True
    return False


def _history(ip: Any) -> tuple[list[str], list[str]]:
    hm = getattr(ip, "history_manager", None)
    if hm is None:
        return [], []
    return list(hm.input_hist_parsed), list(hm.input_hist_raw)


def _raw_of(text: str, ip: Any) -> str:
    """The raw cell (magics as typed) whose transformed text is ``text``; ``text`` itself if none."""
    parsed, raw = _history(ip)
    for p, r in zip(reversed(parsed), reversed(raw)):
        if p.strip() == text.strip() or r.strip() == text.strip():
            return r
    return text


def cell_source(name: str, namespace: dict[str, Any] | None = None) -> str:
    """The source of the cell that defined ``name`` in ``namespace`` (the kernel's user namespace)."""
    ip = _ipython()
    if namespace is None:
        if ip is not None:
            namespace = ip.user_ns
        else:
            import __main__
            namespace = vars(__main__)
    if name not in namespace:
        raise SourceNotFound(MSG_NOT_DEFINED.format(nom=name))
    for code in _codes(namespace[name]):
        texte = "".join(linecache.getlines(code.co_filename))
        if texte and defines(texte, name):
            return _raw_of(texte, ip)
    if ip is not None:
        _parsed, raw = _history(ip)
        for cell in reversed(raw):
            if defines(cell, name):
                return cell
    raise SourceNotFound(MSG_SOURCE_NOT_FOUND.format(nom=name))
