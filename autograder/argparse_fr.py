"""argparse in French: its help and usage errors are translated through its own gettext hooks."""
from __future__ import annotations

import argparse

TRANSLATIONS = {
    "usage: ": "usage : ",
    "positional arguments": "arguments positionnels",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (valeurs possibles : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "expected one argument": "une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "not allowed with argument %s": "interdit avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ignored explicit argument %r": "valeur %r ignorée",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "commande inconnue %(parser_name)r (commandes possibles : %(choices)s)",
    "expected %s argument": "%s valeur attendue",
    "expected %s arguments": "%s valeurs attendues",
}


def translate(message: str) -> str:
    return TRANSLATIONS.get(message, message)


def translate_plural(singulier: str, plural: str, n: int) -> str:
    return translate(singulier if n == 1 else plural)


def install() -> None:
    """Route argparse's messages through the French table (argparse looks ``_`` and ``ngettext`` up at call time)."""
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = translate_plural  # type: ignore[attr-defined]


def positive_integer(texte: str) -> int:
    """An argparse type: an integer >= 1 (number of parallel workers)."""
    try:
        n = int(texte)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu : {texte!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"nombre entier supérieur ou égal à 1 attendu : {texte!r}")
    return n
