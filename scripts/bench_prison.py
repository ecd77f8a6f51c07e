"""Benchmark: what the jail costs per submission, measured side by side with the development mode.

For each assignment's bundled samples, grade every sample in-process with the jail and with
AUTOGRADER_SANS_PRISON=1 (same code, no namespaces), alternating, and print medians and the
difference. Also prints the start-up cost of an empty jail. Run: `.venv/bin/python scripts/bench_prison.py`.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from autograder import jail  # noqa: E402
from autograder.assignment import charger_devoir, devoirs_disponibles  # noqa: E402
from autograder.engine import noter_notebook  # noqa: E402
from autograder.samples import ecrire_variante  # noqa: E402

REPETITIONS = 3


def chrono(fonction) -> float:
    debut = time.perf_counter()
    fonction()
    return time.perf_counter() - debut


def demarrage_prison(n: int = 10) -> float:
    """Median seconds to start a jail, answer one trivial request and stop it."""
    from autograder.probes.api import Soumission
    temps = []
    for _ in range(n):
        def un() -> None:
            p = jail.Prison()
            try:
                Soumission({"c": "x = 1\n"}, prison=p).executer_reel(["c"], lambda ns: ns["x"])
            finally:
                p.fermer()
        temps.append(chrono(un))
    return statistics.median(temps)


def main() -> None:
    print(f"start + one request + stop of an empty jail (median of 10): {demarrage_prison():.3f} s")
    avec, sans = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for devoir_id in devoirs_disponibles(RACINE):
            devoir = charger_devoir(RACINE, devoir_id)
            for f in sorted((RACINE / "assignments" / devoir_id / "exemples").glob("*.py")):
                nb = ecrire_variante(devoir, f, Path(tmp) / devoir_id / f.stem / f"{devoir_id}.ipynb")
                for _ in range(REPETITIONS):
                    os.environ.pop(jail.VARIABLE_SANS_PRISON, None)
                    avec.append(chrono(lambda: noter_notebook(nb, devoir)))
                    os.environ[jail.VARIABLE_SANS_PRISON] = "1"
                    sans.append(chrono(lambda: noter_notebook(nb, devoir)))
    os.environ.pop(jail.VARIABLE_SANS_PRISON, None)
    m_avec, m_sans = statistics.median(avec), statistics.median(sans)
    print(f"grading one sample submission, median of {len(avec)}: jail {m_avec:.3f} s, "
          f"no jail {m_sans:.3f} s, jail cost {m_avec - m_sans:+.3f} s ({m_avec / m_sans:.2f}x)")


if __name__ == "__main__":
    main()
