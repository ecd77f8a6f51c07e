"""Benchmark (not a test): checking time per assignment; side by side on the same notebooks of 02-verrous,
`autograder batch --jobs 2` against stock `nbgrader autograde` (kernel execution), with the batch's fixed
start-up cost; optionally nbgrader with this course's sandboxed execution and a large batch with hanging and
crashing submissions.

Usage: python scripts/bench.py [--n 200] [--n-nbgrader 200] [--jobs 2] [--isolee] [--lot 200]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.assignment import load_assignment, available_assignments  # noqa: E402
from autograder.engine import grade_notebook  # noqa: E402
from autograder.gradebook import environnement_nbgrader, generate_release  # noqa: E402
from autograder.journal import log_path  # noqa: E402
from autograder.results import read_result  # noqa: E402
from autograder.samples import write_variant  # noqa: E402

ASSIGNMENT = "02-verrous"
HOSTILES = ["boucle_infinie_appel", "exit_reel_appel"]


def tree_rss(root: int) -> int:
    """Resident memory (bytes) of a process and all its descendants."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = Path(f"/proc/{d}/stat").read_bytes().rsplit(b")", 1)[1].split()
            parents[int(d)] = int(stat[1])
            rss[int(d)] = int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    total, stack = 0, [root]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(c for c, pp in parents.items() if pp == p)
    return total


def chronometrer(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time and peak resident memory of the whole process tree of ``cmd``."""
    debut = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**environnement_nbgrader(), **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0]

    def probe() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.05)

    t = threading.Thread(target=probe)
    t.start()
    proc.wait()
    t.join(timeout=5)
    return time.monotonic() - debut, peak[0]


def temporary_course(tmp: Path) -> Path:
    c = tmp / "cours"
    for nom in ("source", "release", "assignments"):
        shutil.copytree(ROOT / nom, c / nom)
    shutil.copy(ROOT / "nbgrader_config.py", c)
    return c


def copies(cours: Path, n: int, hostiles: int = 0) -> dict[str, Path]:
    """Write n submissions (the first ``hostiles`` hang or crash); student -> the variant file used."""
    assignment = load_assignment(cours, ASSIGNMENT)
    origin: dict[str, Path] = {}
    variants = sorted((ROOT / "tests" / "soumissions" / ASSIGNMENT).glob("*.py"))
    for i in range(n):
        if i < hostiles:
            f = ROOT / "tests" / "hostiles" / f"{HOSTILES[i % len(HOSTILES)]}.py"
        else:
            f = variants[i % len(variants)]
        write_variant(assignment, f, cours / "submitted" / f"e{i:03d}" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
        origin[f"e{i:03d}"] = f
    return origin


def startup_cost(cours: Path, jobs: int, times: int) -> list[float]:
    """Fixed start-up cost of `autograder batch` on a course whose gradebook and release are up to date:
    seconds from launching the command to the moment a worker starts grading the first copy (the worker
    logs that instant). One copy, graded afresh each time."""
    assignment = load_assignment(cours, ASSIGNMENT)
    folder = cours / "submitted" / "demarrage" / ASSIGNMENT
    write_variant(assignment, ROOT / "tests" / "soumissions" / ASSIGNMENT / "ok_rlock.py", folder / f"{ASSIGNMENT}.ipynb")
    others = [d for d in (cours / "submitted").iterdir() if d.name != "demarrage"]
    cache = cours / "hors-lot"
    cache.mkdir()
    for d in others:
        d.rename(cache / d.name)
    measures = []
    try:
        for _ in range(times):
            (cours / "resultats" / ASSIGNMENT / "demarrage.json").unlink(missing_ok=True)
            journal = log_path(cours)
            journal.unlink(missing_ok=True)
            debut = time.time()
            subprocess.run([sys.executable, "-m", "autograder.cli", "batch", "--assignment", ASSIGNMENT, "--jobs",
                            str(jobs), "--quiet"], cwd=cours, env=environnement_nbgrader(), check=True,
                           stdout=subprocess.DEVNULL)
            starts = [float(line.split()[-1]) for line in journal.read_text(encoding="utf-8").splitlines()
                       if " autograder.batch INFO debut " in line]
            measures.append(min(starts) - debut)
    finally:
        for d in others:
            (cache / d.name).rename(d)
        cache.rmdir()
        shutil.rmtree(folder.parent)
    return measures


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=200, help="notebooks of 02-verrous graded by autograder batch")
    p.add_argument("--n-nbgrader", type=int, default=None,
                   help="notebooks graded by stock nbgrader autograde (default: --n; fewer: per-notebook ratio)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--repetitions", type=int, default=10)
    p.add_argument("--isolee", action="store_true", help="also nbgrader autograde with this course's sandbox")
    p.add_argument("--lot", type=int, default=0, help="size of a batch with 10%% hanging or crashing copies")
    args = p.parse_args()
    n_nbg = args.n_nbgrader or args.n

    print("1. Checking time of a whole correct submission (engine, fork mode, warm process)")
    for d in available_assignments(ROOT):
        assignment = load_assignment(ROOT, d)
        nb = assignment.notebook_source
        grade_notebook(nb, assignment, mode="fork")
        durations = []
        for _ in range(args.repetitions):
            t = time.monotonic()
            r = grade_notebook(nb, assignment, mode="fork")
            durations.append(time.monotonic() - t)
        assert r.score == r.max_score
        print(f"   {d:<16} median {statistics.median(durations):.3f} s  (min {min(durations):.3f}, max {max(durations):.3f})")

    with tempfile.TemporaryDirectory() as tmp:
        cours = temporary_course(Path(tmp))
        copies(cours, args.n)
        generate_release(cours, ASSIGNMENT)
        t_batch, peak = chronometrer([sys.executable, "-m", "autograder.cli", "batch", "--assignment", ASSIGNMENT,
                                     "--jobs", str(args.jobs), "--quiet"], cours)
        startups = startup_cost(cours, args.jobs, 5)
        if n_nbg < args.n:
            for d in sorted((cours / "submitted").iterdir())[n_nbg:]:
                shutil.rmtree(d)
        nbgrader = [sys.executable, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force", "--log-level=ERROR"]
        t_nbg, peak_nbg = chronometrer(nbgrader, cours, {"AUTOGRADER_NBGRADER_NOYAU": "1"})
        by_nb_batch, by_nb_nbg = t_batch / args.n, t_nbg / n_nbg
        print(f"2. {ASSIGNMENT}, side by side on this machine ({os.cpu_count()} cores, load average "
              f"{os.getloadavg()[0]:.1f} at the end)")
        print(f"   autograder batch --jobs {args.jobs}, {args.n} notebooks:        {t_batch:7.1f} s  "
              f"({by_nb_batch:.3f} s per notebook), peak memory {peak / 2**20:.0f} MiB")
        print(f"   nbgrader autograde, stock kernel, {n_nbg} notebooks: {t_nbg:7.1f} s  "
              f"({by_nb_nbg:.3f} s per notebook), peak memory {peak_nbg / 2**20:.0f} MiB")
        if n_nbg < args.n:
            print(f"      (stock nbgrader on {n_nbg} notebooks only: {args.n} would take about "
                  f"{by_nb_nbg * args.n:.0f} s at the same rate)")
        print(f"   fixed start-up cost of autograder batch (launch to first copy graded, 5 runs): "
              f"median {statistics.median(startups):.2f} s, min {min(startups):.2f} s, max {max(startups):.2f} s")
        print(f"   ratio: autograder batch is {by_nb_nbg / by_nb_batch:.1f}x faster per notebook than stock "
              f"nbgrader autograde")
        if args.isolee:
            t_iso, peak_iso = chronometrer(nbgrader, cours)
            print(f"   nbgrader autograde, this course, {n_nbg} notebooks: {t_iso:7.1f} s  ({t_iso / n_nbg:.3f} s per "
                  f"notebook), peak memory {peak_iso / 2**20:.0f} MiB (ExecutionIsolee instead of a kernel)")

    if args.lot:
        with tempfile.TemporaryDirectory() as tmp:
            cours = temporary_course(Path(tmp))
            hostiles = args.lot // 10
            origin = copies(cours, args.lot, hostiles)
            t_lot, peak_batch = chronometrer([sys.executable, "-m", "autograder.cli", "batch", "--assignment", ASSIGNMENT,
                                           "--jobs", str(args.jobs), "--quiet"], cours)
            resultats = sorted((cours / "resultats" / ASSIGNMENT).glob("*.json"))
            zeros = sum(1 for f in resultats[:hostiles] if read_result(f).tasks[0].score == 0)
            print(f"3. batch of {args.lot} with {hostiles} hanging or crashing: {t_lot:.1f} s, "
                  f"{len(resultats)} results, peak memory {peak_batch / 2**20:.0f} MiB; "
                  f"hostile copies with incrementer at 0: {zeros}/{hostiles}")
            assignment = load_assignment(cours, ASSIGNMENT)
            only: dict[Path, list[float]] = {}
            identical = 0
            for f in resultats[hostiles:]:
                variant = origin[f.stem]
                if variant not in only:
                    nb = cours / "submitted" / f.stem / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
                    only[variant] = [t.score for t in grade_notebook(nb, assignment, mode="fork").tasks]
                identical += [t.score for t in read_result(f).tasks] == only[variant]
            print(f"   honest copies scored exactly as when graded alone: {identical}/{len(resultats) - hostiles}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
