"""French number formatting for student messages: decimal comma, grouped thousands, thread names."""
from __future__ import annotations

THOUSANDS_SPACE = "\u202f"  # narrow no-break space, the French thousands separator


def decimal(x: float, digits: int = 2) -> str:
    """``2.2`` -> ``"2,20"``; integral values keep no decimals when ``chiffres`` is 0."""
    texte = f"{abs(x):.{digits}f}"
    ent, _, fraction = texte.partition(".")
    signed = "-" if x < 0 and float(texte) != 0 else ""
    return signed + integer(int(ent)) + ("," + fraction if fraction else "")


def number(x: float) -> str:
    """A short number as a French reader writes it: ``0.5`` -> ``"0,5"``, ``2.0`` -> ``"2"``, ``1e5`` -> grouped."""
    if float(x).is_integer():
        return integer(int(x))
    return f"{x:g}".replace(".", ",")


def integer(n: int) -> str:
    """``200000`` -> ``"200 000"`` (narrow no-break spaces)."""
    signed, digits = ("-", str(-n)) if n < 0 else ("", str(n))
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return signed + THOUSANDS_SPACE.join(groups)


def thread_name(label: str) -> str:
    """``"T0"`` is the thread that called the function under test: say so once, in the student's words."""
    return "T0 (le thread principal)" if label == "T0" else label
