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

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

from autograder.assignment import charger_devoir, devoirs_disponibles  # noqa: E402
from autograder.engine import noter_notebook  # noqa: E402
from autograder.gradebook import environnement_nbgrader, generer_release  # noqa: E402
from autograder.journal import chemin_journal  # noqa: E402
from autograder.results import read_result  # noqa: E402
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


def cout_de_demarrage(cours: Path, jobs: int, fois: int) -> list[float]:
    """Fixed start-up cost of `autograder batch` on a course whose gradebook and release are up to date:
    seconds from launching the command to the moment a worker starts grading the first copy (the worker
    logs that instant). One copy, graded afresh each time."""
    devoir = charger_devoir(cours, DEVOIR)
    dossier = cours / "submitted" / "demarrage" / DEVOIR
    ecrire_variante(devoir, RACINE / "tests" / "soumissions" / DEVOIR / "ok_rlock.py", dossier / f"{DEVOIR}.ipynb")
    autres = [d for d in (cours / "submitted").iterdir() if d.name != "demarrage"]
    cache = cours / "hors-lot"
    cache.mkdir()
    for d in autres:
        d.rename(cache / d.name)
    mesures = []
    try:
        for _ in range(fois):
            (cours / "resultats" / DEVOIR / "demarrage.json").unlink(missing_ok=True)
            journal = chemin_journal(cours)
            journal.unlink(missing_ok=True)
            debut = time.time()
            subprocess.run([sys.executable, "-m", "autograder.cli", "batch", "--assignment", DEVOIR, "--jobs",
                            str(jobs), "--quiet"], cwd=cours, env=environnement_nbgrader(), check=True,
                           stdout=subprocess.DEVNULL)
            departs = [float(ligne.split()[-1]) for ligne in journal.read_text(encoding="utf-8").splitlines()
                       if " autograder.batch INFO debut " in ligne]
            mesures.append(min(departs) - debut)
    finally:
        for d in autres:
            (cache / d.name).rename(d)
        cache.rmdir()
        shutil.rmtree(dossier.parent)
    return mesures


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
        demarrages = cout_de_demarrage(cours, args.jobs, 5)
        if n_nbg < args.n:
            for d in sorted((cours / "submitted").iterdir())[n_nbg:]:
                shutil.rmtree(d)
        nbgrader = [sys.executable, "-m", "nbgrader", "autograde", DEVOIR, "--force", "--log-level=ERROR"]
        t_nbg, pic_nbg = chronometrer(nbgrader, cours, {"AUTOGRADER_NBGRADER_NOYAU": "1"})
        par_nb_batch, par_nb_nbg = t_batch / args.n, t_nbg / n_nbg
        print(f"2. {DEVOIR}, side by side on this machine ({os.cpu_count()} cores, load average "
              f"{os.getloadavg()[0]:.1f} at the end)")
        print(f"   autograder batch --jobs {args.jobs}, {args.n} notebooks:        {t_batch:7.1f} s  "
              f"({par_nb_batch:.3f} s per notebook), peak memory {pic / 2**20:.0f} MiB")
        print(f"   nbgrader autograde, stock kernel, {n_nbg} notebooks: {t_nbg:7.1f} s  "
              f"({par_nb_nbg:.3f} s per notebook), peak memory {pic_nbg / 2**20:.0f} MiB")
        if n_nbg < args.n:
            print(f"      (stock nbgrader on {n_nbg} notebooks only: {args.n} would take about "
                  f"{par_nb_nbg * args.n:.0f} s at the same rate)")
        print(f"   fixed start-up cost of autograder batch (launch to first copy graded, 5 runs): "
              f"median {statistics.median(demarrages):.2f} s, min {min(demarrages):.2f} s, max {max(demarrages):.2f} s")
        print(f"   ratio: autograder batch is {par_nb_nbg / par_nb_batch:.1f}x faster per notebook than stock "
              f"nbgrader autograde")
        if args.isolee:
            t_iso, pic_iso = chronometrer(nbgrader, cours)
            print(f"   nbgrader autograde, this course, {n_nbg} notebooks: {t_iso:7.1f} s  ({t_iso / n_nbg:.3f} s per "
                  f"notebook), peak memory {pic_iso / 2**20:.0f} MiB (ExecutionIsolee instead of a kernel)")

    if args.lot:
        with tempfile.TemporaryDirectory() as tmp:
            cours = cours_temporaire(Path(tmp))
            hostiles = args.lot // 10
            origine = copies(cours, args.lot, hostiles)
            t_lot, pic_lot = chronometrer([sys.executable, "-m", "autograder.cli", "batch", "--assignment", DEVOIR,
                                           "--jobs", str(args.jobs), "--quiet"], cours)
            resultats = sorted((cours / "resultats" / DEVOIR).glob("*.json"))
            zeros = sum(1 for f in resultats[:hostiles] if read_result(f).tasks[0].score == 0)
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
                identiques += [t.score for t in read_result(f).tasks] == seuls[variante]
            print(f"   honest copies scored exactly as when graded alone: {identiques}/{len(resultats) - hostiles}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
