"""Benchmark: what the jail costs per submission, measured side by side with the development mode.

For each assignment's bundled samples, grade every sample in-process with the jail and with
AUTOGRADER_SANS_PRISON=1 (same code, no namespaces), alternating, and print medians and the
difference. Also prints the start-up cost of an empty jail. Run: `.venv/bin/python scripts/bench_jail.py`.
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import jail  # noqa: E402
from autograder.assignment import load_assignment, available_assignments  # noqa: E402
from autograder.engine import grade_notebook  # noqa: E402
from autograder.samples import write_variant  # noqa: E402

REPETITIONS = 3


def stopwatch(fonction) -> float:
    debut = time.perf_counter()
    fonction()
    return time.perf_counter() - debut


def jail_startup(n: int = 10) -> float:
    """Median seconds to start a jail, answer one trivial request and stop it."""
    from autograder.probes.api import Submission
    temps = []
    for _ in range(n):
        def un() -> None:
            p = jail.Jail()
            try:
                Submission({"c": "x = 1\n"}, running_jail=p).execute_real(["c"], lambda ns: ns["x"])
            finally:
                p.close_all()
        temps.append(stopwatch(un))
    return statistics.median(temps)


def main() -> None:
    print(f"start + one request + stop of an empty jail (median of 10): {jail_startup():.3f} s")
    with_, without = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for assignment_id in available_assignments(ROOT):
            assignment = load_assignment(ROOT, assignment_id)
            for f in sorted((ROOT / "assignments" / assignment_id / "exemples").glob("*.py")):
                nb = write_variant(assignment, f, Path(tmp) / assignment_id / f.stem / f"{assignment_id}.ipynb")
                for _ in range(REPETITIONS):
                    os.environ.pop(jail.VARIABLE_NO_JAIL, None)
                    with_.append(stopwatch(lambda: grade_notebook(nb, assignment)))
                    os.environ[jail.VARIABLE_NO_JAIL] = "1"
                    without.append(stopwatch(lambda: grade_notebook(nb, assignment)))
    os.environ.pop(jail.VARIABLE_NO_JAIL, None)
    m_with, m_without = statistics.median(with_), statistics.median(without)
    print(f"grading one sample submission, median of {len(with_)}: jail {m_with:.3f} s, "
          f"no jail {m_without:.3f} s, jail cost {m_with - m_without:+.3f} s ({m_with / m_without:.2f}x)")


if __name__ == "__main__":
    main()
