"""What the self-check tests share: the catalogue's expectations and message templates as regexes."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat

from autograder import selfcheck_checks, selfcheck_checks_io
from autograder.assignment import load_assignment
from autograder.probes import api, output, verdicts
from autograder.samples import header, without_markers, sections

from conftest import CATALOGUE, ROOT

ASSIGNMENTS = ["01-bases", "02-verrous", "03-file-attente", "04-gil"]


def template(constant: str) -> re.Pattern:
    """A regex for a message constant: its text exactly, any value in each placeholder, spaces normalized."""
    pieces = re.split(r"\{[^{}]*\}", " ".join(constant.split()))
    return re.compile(".+?".join(re.escape(m) for m in pieces), re.S)


def normal(texte: str) -> str:
    return " ".join(texte.split())


def constant(assignment: str, nom: str) -> str:
    """The self-check's constant named by a catalogue header (its own first, then the shared verdicts)."""
    own = selfcheck_checks if assignment in ("01-bases", "02-verrous") else selfcheck_checks_io
    return next(getattr(m, nom) for m in (own, verdicts, api, output) if hasattr(m, nom))


def points(assignment: str) -> dict[str, float]:
    return {t.id: t.points for t in load_assignment(ROOT, assignment).taches}


# Catalogue mistakes only the hidden graders look for (their checks came after the public ones: lock-order
# deadlocks under a uniform strategy, any exception type, joins after a drained queue, busy waiting
# everywhere, one pool of nb_processus processes...). The public self-check is a subset by design; these are
# listed so that adding a public check for one of them is a visible decision.
OUTSIDE_PUBLIC_CHECKS = frozenset({
    "ko_attendre_dort_tout_le_delai",
    "ko_calculer_ignore_nb_processus",
    "ko_calculer_pool_par_valeur",
    "ko_compte_deux_verrous_ordre_inverse",
    "ko_compte_retrait_total_refuse",
    "ko_compte_solde_de_classe",
    "ko_compte_verrou_par_methode",
    "ko_compter_attente_active",
    "ko_compter_target_appel",
    "ko_file_join_seul",
    "ko_lancer_lambda_tardive",
    "ko_lancer_target_appel",
    "ko_telecharger_map_paresseux",
    "ko_traiter_attente_active",
    "ko_traiter_defaut_faux",
    "ko_traiter_liste_vide",
    "ko_traiter_sans_file",
    "ko_travailleur_file_vide",
    "ko_travailleur_get_timeout_sortie",
    "ko_travailleur_meurt",
    "ko_travailleur_un_seul_type",
    # Hidden-grader cases the public checks do not run: a thread ending just before the limit or already ended,
    # None as data, the queue left unbalanced, traitement called twice per item, a process per value.
    "ko_attendre_fini_renvoie_false", "ko_attendre_int", "ko_attendre_moitie", "ko_attendre_start",
    "ko_calculer_un_process_par_valeur", "ko_travailleur_donnee_none_sentinelle", "ko_travailleur_remet_sentinelle",
    "ko_travailleur_task_done_avant_traitement", "ko_travailleur_traitement_deux_fois",
})
# Correct answers that use a helper, constant or import from another answer cell: the public check runs one
# cell's source alone (a known limit the README states), the hidden grader loads the cells it needs.
NEEDS_OTHER_CELLS = frozenset({
    "ok_aide_dans_cellule_afficher", "ok_aide_dans_cellule_incrementer", "ok_import_dans_cellule_incrementer",
    "ok_sentinelle_constante_cellule_travailleur", "ok_import_dans_cellule_precedente",
})


def catalogue_case(examples: bool = False) -> list[tuple[str, Path, str, str, str | None]]:
    """(assignment, file, task, source, expected constant name, None for "passes") of every section;
    with ``exemples`` also the demo's samples (no message header: "any failure" is their expectation)."""
    case = []
    file_paths = sorted(CATALOGUE.glob("*/*.py")) + (sorted(ROOT.glob("assignments/*/exemples/*.py")) if examples else [])
    for file_path in file_paths:
        assignment = file_path.parent.parent.name if file_path.parent.name == "exemples" else file_path.parent.name
        texte = file_path.read_text(encoding="utf-8")
        head = header(texte)
        scores = {k.strip(): float(v) for k, v in (p.split("=") for p in head["attendu"].split(","))}
        messages = {k.strip(): v.strip() for k, v in (p.split("=") for p in head.get("message", "").split(",") if p)}
        for task, source in sections(texte).items():
            attendu = messages.get(task, "") if scores.get(task, points(assignment)[task]) < points(assignment)[task] else None
            if attendu is not None and file_path.stem in OUTSIDE_PUBLIC_CHECKS:
                continue
            if attendu is None and file_path.stem in NEEDS_OTHER_CELLS:
                continue
            case.append((assignment, file_path, task, source, attendu))
    return case


def solutions(assignment: str, folder: str = "source") -> dict[str, str]:
    """The solution cells of the source notebook (markers removed), or the release's untouched stubs."""
    nb = nbformat.read(ROOT / folder / assignment / f"{assignment}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: without_markers(c.source) for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")}
