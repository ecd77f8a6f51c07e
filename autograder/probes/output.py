"""Bounded capture of what student code prints, and safe one-line summaries of its exceptions."""
from __future__ import annotations

import traceback
from typing import Any

OUTPUT_LIMIT = 64 * 1024
MESSAGE_LIMIT = 300
MSG_NOM_INCONNU = (" — à la correction, seules vos cellules réponses et les définitions des cellules verrouillées "
                   "sont exécutées : définissez « {nom} » (fonction d'aide, import, variable) dans une cellule réponse")


class BoundedOutput:
    """A write-only text stream that keeps the first LIMITE_SORTIE characters and counts the rest."""

    encoding = "utf-8"

    def __init__(self, limit: int = OUTPUT_LIMIT, horloge=None) -> None:
        self._clock = horloge
        self.horodatage: list[tuple[float, str]] = []  # (virtual time, text) of the first writes
        self._pieces: list[str] = []
        self._size = 0
        self.lost = 0
        self.limit = limit

    def write(self, s: Any) -> int:
        s = s if type(s) is str else str(type(s).__name__)
        if self._clock is not None and len(self.horodatage) < 1000:
            self.horodatage.append((self._clock(), s))
        rest = self.limit - self._size
        if rest > 0:
            self._pieces.append(s[:rest])
            self._size += min(len(s), rest)
        self.lost += max(0, len(s) - max(rest, 0))
        return len(s)

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def getvalue(self) -> str:
        return "".join(self._pieces)


def _safe_text(e: BaseException) -> str:
    """The message of ``e`` without running student code (no __str__ of a student class)."""
    pieces = []
    for a in getattr(e, "args", ())[:3] if isinstance(getattr(e, "args", ()), tuple) else ():
        pieces.append(a if type(a) is str else repr(a) if type(a) in (int, float, bool) else type(a).__name__)
    texte = ", ".join(pieces)
    return texte if len(texte) <= MESSAGE_LIMIT else texte[:MESSAGE_LIMIT] + "…"


def summarize_exception(e: BaseException, codes: dict[str, Any] | None = None) -> str:
    """``Type: message (cellule « x », ligne n)`` pointing at the deepest student frame."""
    place = ""
    file_paths = {c.co_filename for c in (codes or {}).values()}
    try:
        for fs in traceback.extract_tb(e.__traceback__):
            if fs.filename in file_paths:
                place = f" ({fs.filename.strip('<>')}, ligne {fs.lineno})"
    except Exception:  # noqa: BLE001 - a hostile traceback must not break grading
        place = ""
    nom = type(e).__name__ if type(type(e)) is type else "exception"
    texte = _safe_text(e)
    advice = ""
    if type(e) is NameError and type(getattr(e, "name", None)) is str:
        advice = MSG_NOM_INCONNU.format(nom=e.name[:80])
    return (f"{nom}: {texte}{place}" if texte else f"{nom}{place}") + advice
