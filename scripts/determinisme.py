"""Grade every catalogued submission R times while other processes keep every core busy; count stable verdicts.

Usage: python scripts/determinisme.py [--runs 20] [--charge 2]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from autograder.assignment import charger_devoir  # noqa: E402
from autograder.engine import noter_notebook  # noqa: E402
from autograder.samples import ecrire_variante  # noqa: E402


def bruler(arret) -> None:
    """Keep one core busy until told to stop."""
    x = 0
    while not arret.is_set():
        x = (x * 31 + 7) % 1_000_003


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--charge", type=int, default=2, help="CPU-burning processes running meanwhile")
    args = p.parse_args()
    fichiers = sorted((RACINE / "tests" / "soumissions").glob("*/*.py"))
    arret = multiprocessing.Event()
    brules = [multiprocessing.Process(target=bruler, args=(arret,), daemon=True) for _ in range(args.charge)]
    for b in brules:
        b.start()
    stables, instables = 0, []
    debut = time.monotonic()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for f in fichiers:
                devoir = charger_devoir(RACINE, f.parent.name)
                nb = ecrire_variante(devoir, f, Path(tmp) / f.parent.name / f.stem / f"{devoir.id}.ipynb")
                verdicts = {json.dumps(noter_notebook(nb, devoir, mode="fork").to_dict(), sort_keys=True)
                            for _ in range(args.runs)}
                if len(verdicts) == 1:
                    stables += 1
                else:
                    instables.append(f"{f.parent.name}/{f.stem}")
                print(f"{f.parent.name}/{f.stem}: {'stable' if len(verdicts) == 1 else 'INSTABLE'}", flush=True)
    finally:
        # Counted before stopping them: a load that died early would make the measurement meaningless.
        charges = sum(b.is_alive() for b in brules)
        arret.set()
        for b in brules:
            b.join(5)
    print(f"{stables}/{len(fichiers)} submissions with identical results (scores, verdicts and messages) "
          f"in {args.runs} runs each, {charges}/{args.charge} CPU burners still running at the end, "
          f"{time.monotonic() - debut:.0f} s.")
    if instables:
        print("unstable: " + ", ".join(instables))
    return 0 if not instables and charges == args.charge else 1


if __name__ == "__main__":
    sys.exit(main())
