"""Every catalogued submission, graded end to end through `autograder grade`, gets its expected scores."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from autograder.assignment import charger_devoir
from autograder.probes import api, sortie, verdicts
from autograder.samples import ecrire_variante, entete

from conftest import CATALOGUE, RACINE, gabarit, module_correcteur, noter_cli

# End to end: the CLI, nbgrader, the jail or a browser, in processes of their own (deselect with -m 'not slow').
pytestmark = pytest.mark.slow


FICHIERS = sorted(CATALOGUE.glob("*/*.py"))
EXEMPLES = sorted((RACINE / "assignments").glob("*/exemples/*.py"))  # the demo's samples


def attentes(fichier: Path) -> tuple[dict[str, float], dict[str, str]]:
    tete = entete(fichier.read_text(encoding="utf-8"))
    scores = {k.strip(): float(v) for k, v in (p.split("=") for p in tete["attendu"].split(","))}
    messages = {k.strip(): v.strip() for k, v in (p.split("=") for p in tete["message"].split(","))} \
        if tete.get("message") else {}
    return scores, messages


def test_catalogue_assez_grand():
    """The issue asks for at least 40 correct and wrong submissions, every graded name covered."""
    assert len(FICHIERS) >= 40
    for d in ("01-bases", "02-verrous", "03-file-attente", "04-gil"):
        devoir = charger_devoir(RACINE, d)
        for t in devoir.taches:
            scores = [attentes(f)[0] for f in FICHIERS if f.parent.name == d]
            assert any(s.get(t.id) == t.points for s in scores if t.id in s), f"no correct alternative for {t.id}"
            assert any(s.get(t.id, t.points) < t.points for s in scores), f"no wrong submission for {t.id}"


def devoir_de(fichier: Path) -> str:
    return fichier.parent.parent.name if fichier.parent.name == "exemples" else fichier.parent.name


@pytest.mark.parametrize("fichier", FICHIERS + EXEMPLES, ids=lambda f: f"{devoir_de(f)}/{f.stem}")
def test_soumission(fichier: Path, tmp_path: Path):
    devoir = charger_devoir(RACINE, devoir_de(fichier))
    nb = ecrire_variante(devoir, fichier, tmp_path / f"{devoir.id}.ipynb")
    resultat, _ = noter_cli(nb, devoir.id, tmp_path)
    scores, messages = attentes(fichier)
    obtenus = {t["id"]: t["score"] for t in resultat["tasks"]}
    attendus = {t.id: scores.get(t.id, t.points) for t in devoir.taches}
    assert obtenus == attendus, [c for t in resultat["tasks"] for c in t["checks"] if not c["passed"]]
    correcteur = module_correcteur(devoir.id)

    def constante(nom: str) -> str:
        return next(getattr(m, nom) for m in (correcteur, verdicts, api, sortie) if hasattr(m, nom))

    contient = entete(fichier.read_text(encoding="utf-8")).get("contient")
    for tache, nom in messages.items():
        modele = gabarit(constante(nom))
        echecs = [c["message"] for t in resultat["tasks"] if t["id"] == tache for c in t["checks"] if not c["passed"]]
        # The whole message is the template's rendering; verdicts may append whole sentences on lines of their own.
        assert any(re.fullmatch(modele + r"(\n.*)?", m, re.S) for m in echecs), (nom, echecs)
        if contient:  # a template (an advice) rendered inside the message
            assert any(re.search(gabarit(constante(contient)), m, re.S) for m in echecs), (contient, echecs)
