"""Fonctions de travail pour le devoir 04-gil.

Elles sont dans un module (et non dans le notebook) parce que des processus de travail lancés avec
« spawn » ou « forkserver » (macOS, Windows, Linux à partir de Python 3.14) doivent pouvoir les importer.
"""
from __future__ import annotations

import time


def est_premier(n: int) -> bool:
    """True si n est premier (calcul volontairement naïf : c'est du travail pour le processeur)."""
    if n < 2:
        return False
    d = 2
    while d * d <= n:
        if n % d == 0:
            return False
        d += 1
    return True


def compter_premiers(limite: int) -> int:
    """Nombre de nombres premiers inférieurs à limite : une tâche liée au calcul (CPU-bound)."""
    return sum(1 for n in range(limite) if est_premier(n))


def telecharger_simule(url: str, duree: float = 0.3) -> str:
    """Simule un téléchargement : le thread attend (comme une réponse réseau) sans utiliser le processeur."""
    time.sleep(duree)
    return f"<html>{url}</html>"
