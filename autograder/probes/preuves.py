"""Evidence codec: what a jailed run observed, as plain JSON the deciding process parses defensively."""
from __future__ import annotations

import json
import re
from typing import Any

from .cycle import Cycle, Evenement
from .hb import Acces, Course

# Caps on what the deciding process accepts from a jail: a submission controls every byte of it.
TAILLE_MAX = 4 * 1024 ** 2       # bytes of one evidence message
PROFONDEUR_MAX = 40              # nesting of lists/objects in one message
TEXTE_MAX = 64 * 1024            # characters of any one string kept
JOURNAL_MAX = 5000               # accesses of a run's log (the jail logs at most as many)
COURSES_MAX = 20


class PreuveInvalide(ValueError):
    """The jail sent something that is not well-formed evidence (malformed, too big, too deep)."""


# -- plain values: tuples and dicts survive the trip (JSON alone would turn them into lists) --------
def encoder(v: Any, profondeur: int = 0) -> Any:
    """A JSON-able form of a plain value; anything else becomes a description string."""
    if profondeur > PROFONDEUR_MAX:
        return "<trop imbriqué>"
    t = type(v)
    if v is None or t in (bool, str):
        return v
    if t is int:
        return v if abs(v) < 10 ** 300 else "<entier trop grand>"
    if t is float:
        return {"__f": repr(v)} if v != v or v in (float("inf"), float("-inf")) else v
    if t is list:
        return [encoder(x, profondeur + 1) for x in v]
    if t is tuple:
        return {"__t": [encoder(x, profondeur + 1) for x in v]}
    if t is dict:
        return {"__d": [[encoder(k, profondeur + 1), encoder(x, profondeur + 1)] for k, x in v.items()]}
    return f"<objet {t.__name__}>"


def decoder(v: Any) -> Any:
    """Inverse of ``encoder``; raises PreuveInvalide on anything encoder cannot have produced."""
    t = type(v)
    if v is None or t in (bool, int, float):
        return v
    if t is str:
        return v[:TEXTE_MAX]
    if t is list:
        return [decoder(x) for x in v]
    if t is dict and len(v) == 1:
        (cle, contenu), = v.items()
        if cle == "__t" and type(contenu) is list:
            return tuple(decoder(x) for x in contenu)
        if cle == "__f" and contenu in ("nan", "inf", "-inf"):
            return float(contenu)
        if cle == "__d" and type(contenu) is list:
            try:
                return {decoder(k): decoder(x) for k, x in contenu}
            except (TypeError, ValueError) as e:
                raise PreuveInvalide(f"bad mapping: {e}") from None
    raise PreuveInvalide(f"unexpected {t.__name__}")


_CHAINE = re.compile(r'"(?:[^"\\]|\\.)*"')
_PAS_CROCHET = re.compile(r"[^\[\]{}]+")


def _profondeur(texte: str) -> int:
    """Deepest bracket nesting outside strings: checked before json.loads, which recurses.

    Strings and everything but brackets are removed by regular expressions (C speed); only the brackets
    left are walked in Python."""
    crochets = _PAS_CROCHET.sub("", _CHAINE.sub("", texte))
    pire = niveau = 0
    for c in crochets:
        if c in "[{":
            niveau += 1
            if niveau > pire:
                pire = niveau
        else:
            niveau -= 1
    return pire


def lire_message(ligne: bytes) -> dict[str, Any]:
    """One JSON object from the jail, within the size and nesting caps."""
    if len(ligne) > TAILLE_MAX:
        raise PreuveInvalide(f"{len(ligne)} bytes")
    try:
        texte = ligne.decode("utf-8")
    except UnicodeDecodeError:
        raise PreuveInvalide("not UTF-8") from None
    if _profondeur(texte) > 2 * PROFONDEUR_MAX + 8:
        raise PreuveInvalide("nested too deeply")
    try:
        msg = json.loads(texte)
    except (ValueError, RecursionError, OverflowError) as e:
        raise PreuveInvalide(f"not JSON: {type(e).__name__}") from None
    if type(msg) is not dict:
        raise PreuveInvalide("not an object")
    return msg


# -- a whole run ---------------------------------------------------------------------------------
def _acces(a: Acces) -> list:
    return [a.tache, a.ligne, a.cellule, a.genre, a.variable, encoder(a.valeur)]


def execution_vers_donnees(ex: Any) -> dict[str, Any]:
    """Everything a grader may read of a harness.Execution, as plain data (runs in the jail)."""
    c = ex.cycle
    cycle = None
    if c is not None:
        cycle = {"threads": [c.libelle(th) for th in c.threads],
                 "evenements": [[e.pas, e.genre, e.thread, encoder(e.detail)] for e in c.evenements],
                 "exceptions": [[lib, _resume(e)] for lib, e in c.exceptions],
                 "files": len(c.files), "verrous_crees": c.verrous_crees,
                 "vivants_au_retour": list(c.vivants_au_retour),
                 "preneurs_verrous": [list(p) for p in c.preneurs_verrous]}
    brute = ex.exception_brute
    return {
        "graine": ex.graine, "valeur": encoder(ex.valeur), "exception": ex.exception,
        "type_exception": type(brute).__name__ if brute is not None else None,
        "message_exception": _texte_sur(brute) if brute is not None else None,
        "interblocage": ex.interblocage, "bloques_a_la_fin": ex.bloques_a_la_fin,
        "attente_active": bool(ex.attente_active), "sortie": ex.sortie[:TEXTE_MAX],
        "horodatage": [[t, s[:1000]] for t, s in ex.horodatage],
        "duree_virtuelle": ex.duree_virtuelle, "pas": ex.pas, "cycle": cycle,
        "journal": [_acces(a) for a in ex.journal],
        "courses": [[k.variable, _acces(k.premier), _acces(k.second)] for k in ex.courses],
        "erreur_interne": ex.erreur_interne, "processus_crees": ex.processus_crees,
        "exceptions_threads": [list(p) for p in ex.exceptions_threads],
    }


def _texte_sur(e: BaseException) -> str:
    """str(e), which runs the student's __str__: whatever it raises, the evidence is still written."""
    try:
        return str(e)[:TEXTE_MAX]
    except BaseException:  # noqa: BLE001
        return ""


def _resume(e: BaseException) -> str:
    from .sortie import resumer_exception
    return resumer_exception(e)


def _texte(v: Any, defaut: str | None = None) -> str | None:
    return v[:TEXTE_MAX] if type(v) is str else defaut


def _liste_textes(v: Any) -> list[str] | None:
    if v is None:
        return None
    if type(v) is not list:
        raise PreuveInvalide("expected a list of strings")
    return [str(x)[:TEXTE_MAX] for x in v]


def _nombre(v: Any) -> float:
    if type(v) not in (int, float) or v != v or v in (float("inf"), float("-inf")):
        raise PreuveInvalide("expected a finite number")
    return v


def _acces_depuis(v: Any) -> Acces:
    tache, ligne, cellule, genre, variable, valeur = v
    return Acces(str(tache), int(ligne), str(cellule), str(genre), str(variable), decoder(valeur))


def execution_depuis_donnees(d: dict[str, Any]) -> Any:
    """A harness.Execution rebuilt from evidence; PreuveInvalide if a field has the wrong shape."""
    from .harness import Execution
    try:
        ex = Execution(graine=int(d.get("graine", 0)))
        ex.valeur = decoder(d.get("valeur"))
        ex.exception = _texte(d.get("exception"))
        ex.type_exception = _texte(d.get("type_exception"))
        ex.message_exception = _texte(d.get("message_exception"))
        ex.interblocage = _liste_textes(d.get("interblocage"))
        ex.bloques_a_la_fin = _liste_textes(d.get("bloques_a_la_fin"))
        ex.attente_active = d.get("attente_active") is True
        ex.sortie = _texte(d.get("sortie"), "")
        ex.horodatage = [(_nombre(t), str(s)) for t, s in d.get("horodatage", [])]
        ex.duree_virtuelle = _nombre(d.get("duree_virtuelle", 0.0))
        ex.pas = int(d.get("pas", 0))
        c = d.get("cycle")
        if c is not None:
            cycle = Cycle(None)
            cycle.threads = _liste_textes(c.get("threads", []))
            cycle.evenements = [Evenement(int(p), str(g), str(t), decoder(det)) for p, g, t, det in c["evenements"]]
            cycle.exceptions = [(str(lib), str(m)) for lib, m in c.get("exceptions", [])]
            cycle.files = [None] * int(c.get("files", 0))
            cycle.verrous_crees = int(c.get("verrous_crees", 0))
            cycle.vivants_au_retour = _liste_textes(c.get("vivants_au_retour", []))
            cycle.preneurs_verrous = [_liste_textes(p) for p in c.get("preneurs_verrous", [])]
            ex.cycle = cycle
        journal, courses = d.get("journal", []), d.get("courses", [])
        if len(journal) > JOURNAL_MAX or len(courses) > COURSES_MAX:  # the stories read them in O(n^2)
            raise PreuveInvalide("access log too long")
        ex.journal = [_acces_depuis(a) for a in journal]
        ex.courses = [Course(str(v), _acces_depuis(a), _acces_depuis(b)) for v, a, b in courses]
        ex.erreur_interne = _texte(d.get("erreur_interne"))
        ex.processus_crees = int(d.get("processus_crees", 0))
        ex.exceptions_threads = [(str(a), str(b)) for a, b in d.get("exceptions_threads", [])]
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError) as e:
        raise PreuveInvalide(f"bad field: {type(e).__name__}: {e}"[:200]) from None
    return ex
