"""French number formatting for student messages: decimal comma, grouped thousands, thread names."""
from __future__ import annotations

ESPACE_MILLIERS = "\u202f"  # narrow no-break space, the French thousands separator


def decimal(x: float, chiffres: int = 2) -> str:
    """``2.2`` -> ``"2,20"``; integral values keep no decimals when ``chiffres`` is 0."""
    texte = f"{abs(x):.{chiffres}f}"
    ent, _, fraction = texte.partition(".")
    signe = "-" if x < 0 and float(texte) != 0 else ""
    return signe + entier(int(ent)) + ("," + fraction if fraction else "")


def nombre(x: float) -> str:
    """A short number as a French reader writes it: ``0.5`` -> ``"0,5"``, ``2.0`` -> ``"2"``, ``1e5`` -> grouped."""
    if float(x).is_integer():
        return entier(int(x))
    return f"{x:g}".replace(".", ",")


def entier(n: int) -> str:
    """``200000`` -> ``"200 000"`` (narrow no-break spaces)."""
    signe, chiffres = ("-", str(-n)) if n < 0 else ("", str(n))
    groupes = []
    while len(chiffres) > 3:
        groupes.insert(0, chiffres[-3:])
        chiffres = chiffres[:-3]
    groupes.insert(0, chiffres)
    return signe + ESPACE_MILLIERS.join(groupes)


def nom_thread(libelle: str) -> str:
    """``"T0"`` is the thread that called the function under test: say so once, in the student's words."""
    return "T0 (le thread principal)" if libelle == "T0" else libelle
