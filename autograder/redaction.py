"""Keep hidden grader text out of anything a student reads: redact it, and bound message length."""
from __future__ import annotations

import unicodedata
from pathlib import Path

MASK = "[contenu masqué]"
LENGTH_MIN = 24          # shorter lines are too common to be secrets (and would mask student code)
MESSAGE_MAX = 3000


class Redactor:
    """Replaces every distinctive line of the hidden files found in a message by MASQUE."""

    def __init__(self, file_paths: list[Path]) -> None:
        secrets = set()
        for f in file_paths:
            for line in f.read_text(encoding="utf-8").splitlines():
                s = line.strip()
                if len(s) >= LENGTH_MIN and not s.startswith(("import ", "from ", "#")):
                    secrets.add(s)
        self.secrets = sorted(secrets, key=len, reverse=True)

    def __call__(self, texte: str) -> str:
        texte = sanitize(texte)
        for s in self.secrets:
            if s in texte:
                texte = texte.replace(s, MASK)
        if len(texte) > MESSAGE_MAX:
            texte = texte[:MESSAGE_MAX] + " […]"
        return texte


def sanitize(texte: str) -> str:
    """Drop invisible and control characters (zero-width, bidi overrides, escapes) but newlines and tabs:
    text a student's code produced is shown as it reads, and cannot hide or reorder what surrounds it."""
    return "".join(c for c in texte if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf", "Co", "Cs"))
