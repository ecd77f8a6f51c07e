"""Grade every catalogued submission R times while other processes keep every core busy; count stable verdicts.

Usage: python scripts/determinism.py [--runs 20] [--charge 2]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.assignment import load_assignment  # noqa: E402
from autograder.engine import grade_notebook  # noqa: E402
from autograder.samples import write_variant  # noqa: E402


def burn(stop) -> None:
    """Keep one core busy until told to stop."""
    x = 0
    while not stop.is_set():
        x = (x * 31 + 7) % 1_000_003


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--charge", type=int, default=2, help="CPU-burning processes running meanwhile")
    args = p.parse_args()
    file_paths = sorted((ROOT / "tests" / "soumissions").glob("*/*.py"))
    stop = multiprocessing.Event()
    burnt = [multiprocessing.Process(target=burn, args=(stop,), daemon=True) for _ in range(args.charge)]
    for b in burnt:
        b.start()
    stable, instables = 0, []
    debut = time.monotonic()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for f in file_paths:
                assignment = load_assignment(ROOT, f.parent.name)
                nb = write_variant(assignment, f, Path(tmp) / f.parent.name / f.stem / f"{assignment.id}.ipynb")
                verdicts = {json.dumps(grade_notebook(nb, assignment, mode="fork").to_dict(), sort_keys=True)
                            for _ in range(args.runs)}
                if len(verdicts) == 1:
                    stable += 1
                else:
                    instables.append(f"{f.parent.name}/{f.stem}")
                print(f"{f.parent.name}/{f.stem}: {'stable' if len(verdicts) == 1 else 'INSTABLE'}", flush=True)
    finally:
        # Counted before stopping them: a load that died early would make the measurement meaningless.
        loaded = sum(b.is_alive() for b in burnt)
        stop.set()
        for b in burnt:
            b.join(5)
    print(f"{stable}/{len(file_paths)} submissions with identical results (scores, verdicts and messages) "
          f"in {args.runs} runs each, {loaded}/{args.charge} CPU burners still running at the end, "
          f"{time.monotonic() - debut:.0f} s.")
    if instables:
        print("unstable: " + ", ".join(instables))
    return 0 if not instables and loaded == args.charge else 1


if __name__ == "__main__":
    sys.exit(main())
