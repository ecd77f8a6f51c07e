"""Turn an access log into a few French lines that show how an update was lost."""
from __future__ import annotations

import re

from .francais import nom_thread
from .hb import Acces, Course

LIGNE_RECIT = "{tache} ligne {ligne} {genre} {variable} {fleche} {valeur}"


def nom_lisible(variable: str) -> str:
    """``self._Compte__solde`` -> ``self.__solde`` (undo name mangling for the student)."""
    return re.sub(r"^self\._[A-Za-z0-9]+__", "self.__", variable)


def ligne(a: Acces) -> str:
    fleche = "->" if a.genre == "lit" else "="
    return LIGNE_RECIT.format(tache=nom_thread(a.tache), ligne=a.ligne, genre=a.genre, variable=nom_lisible(a.variable),
                              fleche=fleche, valeur=a.valeur)


def mise_a_jour_perdue(journal: list[Acces], variables: set[str] | None = None) -> list[Acces] | None:
    """The first write made from a stale read: [read A, read B, write A, write B] in log order."""
    dernier_lu: dict[tuple[str, str], int] = {}
    for i, a in enumerate(journal):
        if variables is not None and a.variable not in variables:
            continue
        cle = (a.tache, a.variable)
        if a.genre == "lit":
            dernier_lu[cle] = i
            continue
        j = dernier_lu.get(cle)
        if j is None:
            continue
        for k in range(j + 1, i):
            b = journal[k]
            if b.variable == a.variable and b.genre == "écrit" and b.tache != a.tache:
                lectures_b = [m for m in range(k) if journal[m].tache == b.tache
                              and journal[m].variable == a.variable and journal[m].genre == "lit"]
                indices = sorted({*(lectures_b[-1:]), j, k, i})
                return [journal[m] for m in indices]
    return None


def raconter(acces: list[Acces]) -> str:
    return "\n".join("    " + ligne(a) for a in acces)


def raconter_course(c: Course) -> str:
    return raconter([c.premier, c.second])
