"""Evidence codec: what a jailed run observed, as plain JSON the deciding process parses defensively."""
from __future__ import annotations

import json
import re
from typing import Any

from .cycle import Cycle, Event
from .hb import Access, Race

# Caps on what the deciding process accepts from a jail: a submission controls every byte of it.
SIZE_MAX = 4 * 1024 ** 2       # bytes of one evidence message
DEPTH_MAX = 40              # nesting of lists/objects in one message
TEXT_MAX = 64 * 1024            # characters of any one string kept
JOURNAL_MAX = 5000               # accesses of a run's log (the jail logs at most as many)
RACES_MAX = 20


class InvalidProof(ValueError):
    """The jail sent something that is not well-formed evidence (malformed, too big, too deep)."""


# -- plain values: tuples and dicts survive the trip (JSON alone would turn them into lists) --------
def encode_proof(v: Any, depth: int = 0) -> Any:
    """A JSON-able form of a plain value; anything else becomes a description string."""
    if depth > DEPTH_MAX:
        return "<trop imbriqué>"
    t = type(v)
    if v is None or t in (bool, str):
        return v
    if t is int:
        return v if abs(v) < 10 ** 300 else "<entier trop grand>"
    if t is float:
        return {"__f": repr(v)} if v != v or v in (float("inf"), float("-inf")) else v
    if t is list:
        return [encode_proof(x, depth + 1) for x in v]
    if t is tuple:
        return {"__t": [encode_proof(x, depth + 1) for x in v]}
    if t is dict:
        return {"__d": [[encode_proof(k, depth + 1), encode_proof(x, depth + 1)] for k, x in v.items()]}
    return f"<objet {t.__name__}>"


def decode_proof(v: Any) -> Any:
    """Inverse of ``encoder``; raises PreuveInvalide on anything encoder cannot have produced."""
    t = type(v)
    if v is None or t in (bool, int, float):
        return v
    if t is str:
        return v[:TEXT_MAX]
    if t is list:
        return [decode_proof(x) for x in v]
    if t is dict and len(v) == 1:
        (key_name, content), = v.items()
        if key_name == "__t" and type(content) is list:
            return tuple(decode_proof(x) for x in content)
        if key_name == "__f" and content in ("nan", "inf", "-inf"):
            return float(content)
        if key_name == "__d" and type(content) is list:
            try:
                return {decode_proof(k): decode_proof(x) for k, x in content}
            except (TypeError, ValueError) as e:
                raise InvalidProof(f"bad mapping: {e}") from None
    raise InvalidProof(f"unexpected {t.__name__}")


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_NO_HOOK = re.compile(r"[^\[\]{}]+")


def _depth(texte: str) -> int:
    """Deepest bracket nesting outside strings: checked before json.loads, which recurses.

    Strings and everything but brackets are removed by regular expressions (C speed); only the brackets
    left are walked in Python."""
    hooks = _NO_HOOK.sub("", _STRING.sub("", texte))
    worst = level = 0
    for c in hooks:
        if c in "[{":
            level += 1
            if level > worst:
                worst = level
        else:
            level -= 1
    return worst


def read_message(line: bytes) -> dict[str, Any]:
    """One JSON object from the jail, within the size and nesting caps."""
    if len(line) > SIZE_MAX:
        raise InvalidProof(f"{len(line)} bytes")
    try:
        texte = line.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidProof("not UTF-8") from None
    if _depth(texte) > 2 * DEPTH_MAX + 8:
        raise InvalidProof("nested too deeply")
    try:
        msg = json.loads(texte)
    except (ValueError, RecursionError, OverflowError) as e:
        raise InvalidProof(f"not JSON: {type(e).__name__}") from None
    if type(msg) is not dict:
        raise InvalidProof("not an object")
    return msg


# -- a whole run ---------------------------------------------------------------------------------
def _access(a: Access) -> list:
    return [a.task, a.line, a.cell, a.genre, a.variable, encode_proof(a.valeur)]


def execution_to_data(ex: Any) -> dict[str, Any]:
    """Everything a grader may read of a harness.Execution, as plain data (runs in the jail)."""
    c = ex.cycle
    cycle = None
    if c is not None:
        cycle = {"threads": [c.label(th) for th in c.threads],
                 "evenements": [[e.pas, e.genre, e.thread, encode_proof(e.detail)] for e in c.evenements],
                 "exceptions": [[lib, _resume(e)] for lib, e in c.exceptions],
                 "files": len(c.files), "verrous_crees": c.verrous_crees,
                 "vivants_au_retour": list(c.vivants_au_retour),
                 "preneurs_verrous": [list(p) for p in c.preneurs_verrous]}
    raw = ex.raw_exception
    return {
        "graine": ex.seed, "valeur": encode_proof(ex.valeur), "exception": ex.exception,
        "type_exception": type(raw).__name__ if raw is not None else None,
        "message_exception": _safe_text(raw) if raw is not None else None,
        "interblocage": ex.interblocage, "bloques_a_la_fin": ex.bloques_a_la_fin,
        "attente_active": bool(ex.attente_active), "sortie": ex.output[:TEXT_MAX],
        "horodatage": [[t, s[:1000]] for t, s in ex.horodatage],
        "duree_virtuelle": ex.duree_virtuelle, "pas": ex.pas, "cycle": cycle,
        "journal": [_access(a) for a in ex.journal],
        "courses": [[k.variable, _access(k.first_one), _access(k.second)] for k in ex.courses],
        "erreur_interne": ex.erreur_interne, "processus_crees": ex.processus_crees,
        "exceptions_threads": [list(p) for p in ex.exceptions_threads],
    }


def _safe_text(e: BaseException) -> str:
    """str(e), which runs the student's __str__: whatever it raises, the evidence is still written."""
    try:
        return str(e)[:TEXT_MAX]
    except BaseException:  # noqa: BLE001
        return ""


def _resume(e: BaseException) -> str:
    from .output import summarize_exception
    return summarize_exception(e)


def _text(v: Any, default: str | None = None) -> str | None:
    return v[:TEXT_MAX] if type(v) is str else default


def _text_list(v: Any) -> list[str] | None:
    if v is None:
        return None
    if type(v) is not list:
        raise InvalidProof("expected a list of strings")
    return [str(x)[:TEXT_MAX] for x in v]


def _number(v: Any) -> float:
    if type(v) not in (int, float) or v != v or v in (float("inf"), float("-inf")):
        raise InvalidProof("expected a finite number")
    return v


def _access_since(v: Any) -> Access:
    task, line, cell, genre, variable, valeur = v
    return Access(str(task), int(line), str(cell), str(genre), str(variable), decode_proof(valeur))


def execution_since_data(d: dict[str, Any]) -> Any:
    """A harness.Execution rebuilt from evidence; PreuveInvalide if a field has the wrong shape."""
    from .harness import Execution
    try:
        ex = Execution(seed=int(d.get("graine", 0)))
        ex.valeur = decode_proof(d.get("valeur"))
        ex.exception = _text(d.get("exception"))
        ex.type_exception = _text(d.get("type_exception"))
        ex.message_exception = _text(d.get("message_exception"))
        ex.interblocage = _text_list(d.get("interblocage"))
        ex.bloques_a_la_fin = _text_list(d.get("bloques_a_la_fin"))
        ex.attente_active = d.get("attente_active") is True
        ex.output = _text(d.get("sortie"), "")
        ex.horodatage = [(_number(t), str(s)) for t, s in d.get("horodatage", [])]
        ex.duree_virtuelle = _number(d.get("duree_virtuelle", 0.0))
        ex.pas = int(d.get("pas", 0))
        c = d.get("cycle")
        if c is not None:
            cycle = Cycle(None)
            cycle.threads = _text_list(c.get("threads", []))
            cycle.evenements = [Event(int(p), str(g), str(t), decode_proof(det)) for p, g, t, det in c["evenements"]]
            cycle.exceptions = [(str(lib), str(m)) for lib, m in c.get("exceptions", [])]
            cycle.files = [None] * int(c.get("files", 0))
            cycle.verrous_crees = int(c.get("verrous_crees", 0))
            cycle.vivants_au_retour = _text_list(c.get("vivants_au_retour", []))
            cycle.preneurs_verrous = [_text_list(p) for p in c.get("preneurs_verrous", [])]
            ex.cycle = cycle
        journal, courses = d.get("journal", []), d.get("courses", [])
        if len(journal) > JOURNAL_MAX or len(courses) > RACES_MAX:  # the stories read them in O(n^2)
            raise InvalidProof("access log too long")
        ex.journal = [_access_since(a) for a in journal]
        ex.courses = [Race(str(v), _access_since(a), _access_since(b)) for v, a, b in courses]
        ex.erreur_interne = _text(d.get("erreur_interne"))
        ex.processus_crees = int(d.get("processus_crees", 0))
        ex.exceptions_threads = [(str(a), str(b)) for a, b in d.get("exceptions_threads", [])]
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as e:
        raise InvalidProof(f"bad field: {type(e).__name__}: {e}"[:200]) from None
    return ex
