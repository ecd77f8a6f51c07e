"""Hostile submissions, graded end to end: nothing gained, nothing lost, nothing hangs, nothing survives."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from autograder import engine, plugin
from autograder.assignment import charger_devoir
from autograder.probes import api, espace, verdicts
from autograder.redaction import LONGUEUR_MIN
from autograder.samples import ecrire_variante, entete

from conftest import RACINE, executer_cli, gabarit, module_correcteur

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


HOSTILES = sorted((RACINE / "tests" / "hostiles").glob("*.py"))


def constante(nom: str, devoir: str) -> str:
    for mod in (engine, plugin, espace, verdicts, api):
        if hasattr(mod, nom):
            return getattr(mod, nom)
    return getattr(module_correcteur(devoir), nom)


def survivants(marques: list[str]) -> list[str]:
    restes = []
    for d in os.listdir("/proc"):
        if d.isdigit() and int(d) != os.getpid():
            try:
                ligne = Path(f"/proc/{d}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if any(m in ligne for m in marques):
                restes.append(f"{d}: {ligne}")
    return restes


@pytest.fixture
def cours_profond(cours: Path, tmp_path: Path) -> Path:
    """The course under a long path: CI clones live deeper than a dev checkout, and nothing may depend on it.

    The grader's frames then make a stack dump longer than the output extract kept for the TA, so a stack
    read from that extract loses the student's frame (the CI failure of boucle_infinie_appel).
    """
    profond = tmp_path / ("p" * 150) / ("q" * 150) / "cours"
    profond.parent.mkdir(parents=True)
    return cours.rename(profond)


@pytest.mark.parametrize("fichier", HOSTILES, ids=lambda f: f.stem)
def test_attaque(fichier: Path, cours_profond: Path, tmp_path: Path):
    cours = cours_profond
    tete = entete(fichier.read_text(encoding="utf-8"))
    devoir = charger_devoir(cours, tete["devoir"])
    nb = ecrire_variante(devoir, fichier, tmp_path / "copie" / f"{devoir.id}.ipynb")
    gradebook = cours / "gradebook.db"
    gradebook.write_bytes(b"intact")
    sortie = tmp_path / "resultat.json"

    debut = time.monotonic()
    proc = executer_cli("grade", str(nb), "--assignment", devoir.id, "--json", str(sortie), cwd=cours)
    duree = time.monotonic() - debut

    assert proc.returncode == 0, proc.stderr
    assert duree < float(tete["duree_max"]) <= 60
    import json

    from autograder.results import read_result
    resultat = json.loads(sortie.read_text(encoding="utf-8"))
    assert read_result(sortie, devoir).to_dict() == resultat  # every result the suite writes: the one reader
    attendus = {t.id: t.points for t in devoir.taches}
    if tete["attendu"]:
        attendus.update({k.strip(): float(v) for k, v in (p.split("=") for p in tete["attendu"].split(","))})
    assert {t["id"]: t["score"] for t in resultat["tasks"]} == attendus, resultat
    if tete.get("message"):
        tache, nom = (x.strip() for x in tete["message"].split("="))
        modele = gabarit(constante(nom, devoir.id))
        messages = [c["message"] for t in resultat["tasks"] if t["id"] == tache for c in t["checks"]]
        # The whole message is the template's rendering; verdicts may append whole sentences on lines of their own.
        assert any(re.fullmatch(modele + r"(\n.*)?", m, re.S) for m in messages), (nom, messages)
        if tete.get("contient"):
            attendu = gabarit(constante(tete["contient"], devoir.id))
            assert any(re.search(attendu, m, re.S) and "<cellule " in m for m in messages), messages
    # The copy's own path marks its forked processes; exec'd children are named in its header.
    marques = [str(nb)] + ([tete["survivants"]] if tete.get("survivants") else [])
    assert survivants(marques) == []
    assert gradebook.read_bytes() == b"intact"
    assert not (cours / "gradebook.db.pirate").exists()
    texte = sortie.read_text(encoding="utf-8") + proc.stdout
    for ligne in devoir.correcteur.read_text(encoding="utf-8").splitlines():
        s = ligne.strip()
        if len(s) >= LONGUEUR_MIN and not s.startswith(("import ", "from ", "#")):
            assert s not in texte, f"hidden grader line leaked: {s}"
