"""Grade many submissions in parallel, resumably: one JSON per submission, then the gradebook."""
from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .assignment import Devoir, charger_devoir
from .engine import noter_notebook, resultat_vide
from .results import GradeResult

MSG_ERREUR_INTERNE = ("La correction de cette copie a échoué pour une raison interne ({raison}) : elle n'est pas "
                      "notée ; l'équipe du cours doit la relancer.")


@dataclass(frozen=True)
class Copie:
    """One submission to grade: who, and which file."""

    etudiant: str
    chemin: Path


def trouver_copies(dossier: Path, devoir_id: str) -> list[Copie]:
    """nbgrader's ``submitted/<student>/<id>/<id>.ipynb``, or a plain folder of ``<student>.ipynb``."""
    copies = []
    for d in sorted(p for p in dossier.iterdir() if p.is_dir()):
        nb = d / devoir_id / f"{devoir_id}.ipynb"
        if nb.is_file():
            copies.append(Copie(d.name, nb))
    if not copies:
        copies = [Copie(p.stem, p) for p in sorted(dossier.glob("*.ipynb"))]
    return copies


def empreinte(chemin: Path) -> str:
    try:
        return hashlib.sha256(chemin.read_bytes()).hexdigest()
    except OSError:
        return "illisible"


def _ecrire_atomique(chemin: Path, texte: str) -> None:
    temporaire = chemin.with_suffix(chemin.suffix + ".tmp")
    temporaire.write_text(texte, encoding="utf-8")
    os.replace(temporaire, chemin)


def deja_fait(sortie: Path, copie: Copie) -> bool:
    """A result exists for exactly this file's content (a resubmission is graded again)."""
    try:
        donnees = json.loads(sortie.read_text(encoding="utf-8"))
        return donnees.get("_empreinte") == empreinte(copie.chemin)
    except (OSError, ValueError, AttributeError):
        return False


def _initialiser() -> None:
    """Warm a worker once: the engine forks a child per submission from here, with pytest already loaded."""
    import pytest  # noqa: F401

    from . import plugin  # noqa: F401
    from .probes import harness  # noqa: F401
    from .sandbox import devenir_faucheur
    devenir_faucheur()


def _noter(racine: str, devoir_id: str, chemin: str) -> dict:
    devoir = charger_devoir(Path(racine), devoir_id)
    return noter_notebook(Path(chemin), devoir, mode="fork").to_dict()


def noter_lot(racine: Path, devoir: Devoir, copies: list[Copie], sortie: Path, jobs: int,
              au_resultat=None, afficher: bool = True) -> dict[str, GradeResult]:
    """Grade ``copies`` not yet done; save each JSON the moment it exists; return every result."""
    sortie.mkdir(parents=True, exist_ok=True)
    resultats: dict[str, GradeResult] = {}
    a_faire = []
    for c in copies:
        f = sortie / f"{c.etudiant}.json"
        if deja_fait(f, c):
            resultats[c.etudiant] = GradeResult.from_dict(json.loads(f.read_text(encoding="utf-8")))
        else:
            a_faire.append(c)

    def garder(c: Copie, r: GradeResult, definitif: bool = True) -> None:
        d = r.to_dict()
        # An internal failure is kept without fingerprint: the next run grades that copy again.
        d["_empreinte"] = empreinte(c.chemin) if definitif else None
        d["_incidents"] = r.incidents  # hung, crashed, tampered: for the TA, outside SPEC's result shape
        _ecrire_atomique(sortie / f"{c.etudiant}.json", json.dumps(d, ensure_ascii=False, indent=1))
        resultats[c.etudiant] = r
        if au_resultat is not None:
            au_resultat(c, r)

    colonnes = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*colonnes, disable=not afficher, transient=False) as barre:
        tache = barre.add_task(f"{devoir.id}", total=len(copies), completed=len(copies) - len(a_faire))
        essais: dict[str, int] = {}
        while a_faire:
            perdues: list[Copie] = []
            # spawn: workers never inherit this process's threads (rich refreshes the bar in one).
            with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=get_context("spawn"),
                                     initializer=_initialiser) as pool:
                en_cours: dict[Future, Copie] = {
                    pool.submit(_noter, str(racine), devoir.id, str(c.chemin)): c for c in a_faire}
                for fut in as_completed(en_cours):
                    c = en_cours[fut]
                    try:
                        garder(c, GradeResult.from_dict(fut.result()))
                    except Exception as e:  # noqa: BLE001 - a lost worker must not lose the batch
                        essais[c.etudiant] = essais.get(c.etudiant, 0) + 1
                        if essais[c.etudiant] < 2:
                            perdues.append(c)
                            continue
                        garder(c, resultat_vide(devoir, MSG_ERREUR_INTERNE.format(raison=type(e).__name__)),
                               definitif=False)
                    barre.advance(tache)
            a_faire = perdues
    return resultats
