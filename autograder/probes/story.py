"""Turn an access log into a few French lines that show how an update was lost."""
from __future__ import annotations

import re

from .french import thread_name
from .hb import Access, Race

STORY_LINE = "{tache} ligne {ligne} {genre} {variable} {fleche} {valeur}"


def readable_name(variable: str) -> str:
    """``self._Compte__solde`` -> ``self.__solde`` (undo name mangling for the student)."""
    return re.sub(r"^self\._[A-Za-z0-9]+__", "self.__", variable)


def line(a: Access) -> str:
    arrow = "->" if a.genre == "lit" else "="
    return STORY_LINE.format(tache=thread_name(a.task), ligne=a.line, genre=a.genre, variable=readable_name(a.variable),
                              fleche=arrow, valeur=a.valeur)


def lost_update(journal: list[Access], variables: set[str] | None = None) -> list[Access] | None:
    """The first write made from a stale read: [read A, read B, write A, write B] in log order."""
    last_read: dict[tuple[str, str], int] = {}
    for i, a in enumerate(journal):
        if variables is not None and a.variable not in variables:
            continue
        key_name = (a.task, a.variable)
        if a.genre == "lit":
            last_read[key_name] = i
            continue
        j = last_read.get(key_name)
        if j is None:
            continue
        for k in range(j + 1, i):
            b = journal[k]
            if b.variable == a.variable and b.genre == "écrit" and b.task != a.task:
                reads_b = [m for m in range(k) if journal[m].task == b.task
                              and journal[m].variable == a.variable and journal[m].genre == "lit"]
                indices = sorted({*(reads_b[-1:]), j, k, i})
                return [journal[m] for m in indices]
    return None


def tell(access: list[Access]) -> str:
    return "\n".join("    " + line(a) for a in access)


def tell_race(c: Race) -> str:
    return tell([c.first_one, c.second])
