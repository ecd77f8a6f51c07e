"""Bounded capture of what student code prints, and safe one-line summaries of its exceptions."""
from __future__ import annotations

import traceback
from typing import Any

LIMITE_SORTIE = 64 * 1024
LIMITE_MESSAGE = 300
MSG_NOM_INCONNU = (" — à la correction, seules vos cellules réponses et les définitions des cellules verrouillées "
                   "sont exécutées : définissez « {nom} » (fonction d'aide, import, variable) dans une cellule réponse")


class SortieBornee:
    """A write-only text stream that keeps the first LIMITE_SORTIE characters and counts the rest."""

    encoding = "utf-8"

    def __init__(self, limite: int = LIMITE_SORTIE, horloge=None) -> None:
        self._horloge = horloge
        self.horodatage: list[tuple[float, str]] = []  # (virtual time, text) of the first writes
        self._morceaux: list[str] = []
        self._taille = 0
        self.perdus = 0
        self.limite = limite

    def write(self, s: Any) -> int:
        s = s if type(s) is str else str(type(s).__name__)
        if self._horloge is not None and len(self.horodatage) < 1000:
            self.horodatage.append((self._horloge(), s))
        reste = self.limite - self._taille
        if reste > 0:
            self._morceaux.append(s[:reste])
            self._taille += min(len(s), reste)
        self.perdus += max(0, len(s) - max(reste, 0))
        return len(s)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def getvalue(self) -> str:
        return "".join(self._morceaux)


def _texte_sur(e: BaseException) -> str:
    """The message of ``e`` without running student code (no __str__ of a student class)."""
    morceaux = []
    for a in getattr(e, "args", ())[:3] if isinstance(getattr(e, "args", ()), tuple) else ():
        morceaux.append(a if type(a) is str else repr(a) if type(a) in (int, float, bool) else type(a).__name__)
    texte = ", ".join(morceaux)
    return texte if len(texte) <= LIMITE_MESSAGE else texte[:LIMITE_MESSAGE] + "…"


def resumer_exception(e: BaseException, codes: dict[str, Any] | None = None) -> str:
    """``Type: message (cellule « x », ligne n)`` pointing at the deepest student frame."""
    lieu = ""
    fichiers = {c.co_filename for c in (codes or {}).values()}
    try:
        for fs in traceback.extract_tb(e.__traceback__):
            if fs.filename in fichiers:
                lieu = f" ({fs.filename.strip('<>')}, ligne {fs.lineno})"
    except Exception:  # noqa: BLE001 - a hostile traceback must not break grading
        lieu = ""
    nom = type(e).__name__ if type(type(e)) is type else "exception"
    texte = _texte_sur(e)
    conseil = ""
    if type(e) is NameError and type(getattr(e, "name", None)) is str:
        conseil = MSG_NOM_INCONNU.format(nom=e.name[:80])
    return (f"{nom}: {texte}{lieu}" if texte else f"{nom}{lieu}") + conseil
