"""Benchmark (not a test): checking time per assignment, `autograder batch` against `nbgrader autograde`
on the same notebooks, peak memory, and a large batch with hanging and crashing submissions.

Usage: python scripts/bench.py [--n 30] [--lot 200] [--jobs 2]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from autograder.assignment import charger_devoir, devoirs_disponibles  # noqa: E402
from autograder.engine import noter_notebook  # noqa: E402
from autograder.gradebook import environnement_nbgrader, generer_release  # noqa: E402
from autograder.samples import ecrire_variante  # noqa: E402

DEVOIR = "02-verrous"
HOSTILES = ["boucle_infinie_appel", "exit_reel_appel"]


def rss_arbre(racine: int) -> int:
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
    total, pile = 0, [racine]
    while pile:
        p = pile.pop()
        total += rss.get(p, 0)
        pile.extend(c for c, pp in parents.items() if pp == p)
    return total


def chronometrer(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time and peak resident memory of the whole process tree of ``cmd``."""
    debut = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**environnement_nbgrader(), **(env or {})},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pic = [0]

    def sonder() -> None:
        while proc.poll() is None:
            pic[0] = max(pic[0], rss_arbre(proc.pid))
            time.sleep(0.05)

    t = threading.Thread(target=sonder)
    t.start()
    proc.wait()
    t.join(timeout=5)
    return time.monotonic() - debut, pic[0]


def cours_temporaire(tmp: Path) -> Path:
    c = tmp / "cours"
    for nom in ("source", "release", "assignments"):
        shutil.copytree(RACINE / nom, c / nom)
    shutil.copy(RACINE / "nbgrader_config.py", c)
    return c


def copies(cours: Path, n: int, hostiles: int = 0) -> dict[str, Path]:
    """Write n submissions (the first ``hostiles`` hang or crash); student -> the variant file used."""
    devoir = charger_devoir(cours, DEVOIR)
    origine: dict[str, Path] = {}
    variantes = sorted((RACINE / "tests" / "soumissions" / DEVOIR).glob("*.py"))
    for i in range(n):
        if i < hostiles:
            f = RACINE / "tests" / "hostiles" / f"{HOSTILES[i % len(HOSTILES)]}.py"
        else:
            f = variantes[i % len(variantes)]
        ecrire_variante(devoir, f, cours / "submitted" / f"e{i:03d}" / DEVOIR / f"{DEVOIR}.ipynb")
        origine[f"e{i:03d}"] = f
    return origine


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--n", type=int, default=30, help="notebooks graded by both tools")
    p.add_argument("--lot", type=int, default=200, help="size of the batch with 10%% hanging or crashing copies")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--repetitions", type=int, default=10)
    args = p.parse_args()

    print("1. Checking time of a whole correct submission (engine, fork mode, warm process)")
    for d in devoirs_disponibles(RACINE):
        devoir = charger_devoir(RACINE, d)
        nb = devoir.notebook_source
        noter_notebook(nb, devoir, mode="fork")
        durees = []
        for _ in range(args.repetitions):
            t = time.monotonic()
            r = noter_notebook(nb, devoir, mode="fork")
            durees.append(time.monotonic() - t)
        assert r.score == r.max_score
        print(f"   {d:<16} median {statistics.median(durees):.3f} s  (min {min(durees):.3f}, max {max(durees):.3f})")

    with tempfile.TemporaryDirectory() as tmp:
        cours = cours_temporaire(Path(tmp))
        copies(cours, args.n)
        generer_release(cours, DEVOIR)
        t_batch, pic = chronometrer([sys.executable, "-m", "autograder.cli", "batch", "--assignment", DEVOIR,
                                     "--jobs", str(args.jobs), "--quiet"], cours)
        nbgrader = [sys.executable, "-m", "nbgrader", "autograde", DEVOIR, "--force", "--log-level=ERROR"]
        t_nbg, pic_nbg = chronometrer(nbgrader, cours, {"AUTOGRADER_NBGRADER_NOYAU": "1"})
        t_iso, pic_iso = chronometrer(nbgrader, cours)
        print(f"2. {args.n} notebooks of {DEVOIR}, side by side on this machine ({os.cpu_count()} cores)")
        print(f"   autograder batch --jobs {args.jobs}:   {t_batch:7.1f} s  ({t_batch / args.n:.3f} s per notebook), "
              f"peak memory {pic / 2**20:.0f} MiB")
        print(f"   nbgrader autograde, stock kernel: {t_nbg:7.1f} s  ({t_nbg / args.n:.3f} s per notebook), "
              f"peak memory {pic_nbg / 2**20:.0f} MiB")
        print(f"   nbgrader autograde, this course:  {t_iso:7.1f} s  ({t_iso / args.n:.3f} s per notebook), "
              f"peak memory {pic_iso / 2**20:.0f} MiB (ExecutionIsolee instead of a kernel)")
        print(f"   ratio: autograder batch is {t_nbg / t_batch:.1f}x faster than stock nbgrader autograde")

    with tempfile.TemporaryDirectory() as tmp:
        cours = cours_temporaire(Path(tmp))
        hostiles = args.lot // 10
        origine = copies(cours, args.lot, hostiles)
        t_lot, pic_lot = chronometrer([sys.executable, "-m", "autograder.cli", "batch", "--assignment", DEVOIR,
                                       "--jobs", str(args.jobs), "--quiet"], cours)
        resultats = sorted((cours / "resultats" / DEVOIR).glob("*.json"))
        zeros = sum(1 for f in resultats[:hostiles] if json.loads(f.read_text())["tasks"][0]["score"] == 0)
        print(f"3. batch of {args.lot} with {hostiles} hanging or crashing: {t_lot:.1f} s, "
              f"{len(resultats)} results, peak memory {pic_lot / 2**20:.0f} MiB; "
              f"hostile copies with incrementer at 0: {zeros}/{hostiles}")
        devoir = charger_devoir(cours, DEVOIR)
        seuls: dict[Path, list[float]] = {}
        identiques = 0
        for f in resultats[hostiles:]:
            variante = origine[f.stem]
            if variante not in seuls:
                nb = cours / "submitted" / f.stem / DEVOIR / f"{DEVOIR}.ipynb"
                seuls[variante] = [t.score for t in noter_notebook(nb, devoir, mode="fork").tasks]
            identiques += [t["score"] for t in json.loads(f.read_text())["tasks"]] == seuls[variante]
        print(f"   honest copies scored exactly as when graded alone: {identiques}/{len(resultats) - hostiles}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
