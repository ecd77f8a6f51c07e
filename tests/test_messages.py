"""Every French message template of the package, rendered with sample values, reads as correct French."""
from __future__ import annotations

import ast
import importlib
import os
import re
import string

import pytest

from autograder.probes import verdicts
from autograder.probes.cycle import Cycle
from autograder.probes.francais import ESPACE_MILLIERS, decimal, entier, nombre, nom_thread
from autograder.probes.harness import Execution
from autograder.probes.scheduler import PAS_MAX_DEFAUT

from conftest import RACINE, module_correcteur

SOURCES = sorted([*(RACINE / "autograder").rglob("*.py"), *(RACINE / "assignments").glob("*/test_*.py")])
NOMS = re.compile(r"^(MSG|CONSEIL)_\w+$|^LIGNE_RECIT$")

# What callers really pass for each field: numbers already in French, thread names as T1, graded names.
EXEMPLES = {
    "quoi": "compter_en_parallele", "fonction": "incrementer", "thread": "T1", "threads": "T1, T2",
    "t": decimal(2.2), "delai": 0.5, "fin": nombre(1.0), "max": nombre(2.0), "somme": nombre(3.5),
    "attendu": "[0, 1, 4]", "obtenu": "[0, 4, 1]", "pas": entier(PAS_MAX_DEFAUT), "n": 3, "k": 2, "i": 2,
    "demarres": 2, "pris": 4, "appels": 3, "indice": 1, "graine": 0, "variable": "compteur",
    "exception": "ValueError: donnée refusée (cellule travailleur, ligne 9)", "type": "KeyError",
    "detail": "T1 n'a pas obtenu la main en 10 s", "conseil": verdicts.CONSEIL_GENERAL,
    "lignes": "    T1 ligne 8 lit compteur -> 3", "scenario": "deux threads appellent incrementer(30) en même temps",
    "cas": "se termine au bout de 1 s", "appel": "[0, 1, 2], traitement, 3",
}


def _module(fichier):
    relatif = fichier.relative_to(RACINE)
    if relatif.parts[0] == "assignments":
        return module_correcteur(relatif.parts[1])
    return importlib.import_module(".".join(relatif.with_suffix("").parts))


def modeles() -> list[tuple[str, str, str]]:
    """(file, name, template) for every module-level MSG_*/CONSEIL_* string constant (its value once imported)."""
    trouves = []
    for fichier in SOURCES:
        arbre = ast.parse(fichier.read_text(encoding="utf-8"))
        noms = [n.targets[0].id for n in arbre.body if isinstance(n, ast.Assign) and len(n.targets) == 1
                and isinstance(n.targets[0], ast.Name) and NOMS.match(n.targets[0].id)]
        if noms:
            module = _module(fichier)
            trouves += [(str(fichier.relative_to(RACINE)), nom, getattr(module, nom)) for nom in noms
                        if isinstance(getattr(module, nom), str)]
    return trouves


MODELES = modeles()


def rendre(modele: str) -> str:
    valeurs = {}
    for _texte, champ, spec, _conv in string.Formatter().parse(modele):
        if champ is None:
            continue
        if spec and spec[-1] in "dfg":
            valeurs[champ] = 10
        else:
            valeurs[champ] = EXEMPLES.get(champ, "valeur")
    return modele.format(**valeurs)


def hors_code(texte: str) -> str:
    """The prose of a message: code quoted in « » and the indented detail lines are not French sentences."""
    texte = re.sub(r"«[^»]*»", "«»", texte)
    texte = re.sub(r"\b[A-Z]\w*(Error|Exception|Interdit|Exit|Interrupt)\b: ", "Type ", texte)  # Python's "Type: msg"
    return "\n".join(ligne for ligne in texte.split("\n") if not ligne.startswith("    "))


def test_des_modeles_sont_trouves():
    noms = {nom for _f, nom, _m in MODELES}
    assert {"MSG_INTERBLOCAGE", "CONSEIL_ORDRE", "MSG_DUREE", "MSG_TASK_DONE", "MSG_ATTENTE_ACTIVE"} <= noms
    assert len(MODELES) >= 80


@pytest.mark.parametrize("fichier, nom, modele", MODELES, ids=[f"{f}:{n}" for f, n, _m in MODELES])
def test_modele_en_bon_francais(fichier: str, nom: str, modele: str):
    texte = rendre(modele)
    prose = hors_code(texte)
    assert not re.search(r"(?<=\S)  +", prose), f"double space: {texte!r}"
    assert not re.search(r" [,.](?![.\w])", prose), f"space before a comma or a period: {texte!r}"
    for signe in re.finditer(r"(?<=[^\s\u00a0\u202f(])[:;?!](?=\s|$)", prose):
        pytest.fail(f"no space before {signe.group()!r}: {texte!r}")
    assert not re.search(r"\d\.\d", prose), f"English decimal point in French text: {texte!r}"
    assert not re.search(r"(?<![\d.])\d{4,}(?!\d)", prose.replace("ligne 1000", "")), f"ungrouped thousands: {texte!r}"
    assert "thread thread" not in texte.lower() and "thread n°" not in texte, f"thread naming: {texte!r}"
    assert not re.search(r"\{[^}]*:\.\d+f\}", modele), f"{nom}: format numbers with francais.decimal, not :.Nf"
    assert not re.search(r"\b(Des|Les|Deux|Trois|Plusieurs) threads( qui [^.:;()]*)? (ne termine|a levé|a créé|est)\b",
                         texte), f"agreement: {texte!r}"


def test_nombres_a_la_francaise():
    assert decimal(2.2) == "2,20"
    assert decimal(-0.001) == "0,00"
    assert nombre(0.5) == "0,5" and nombre(2.0) == "2"
    assert entier(200000) == f"200{ESPACE_MILLIERS}000" and entier(999) == "999"
    assert nom_thread("T0") == "T0 (le thread principal)" and nom_thread("T3") == "T3"


def _execution(**champs) -> Execution:
    return Execution(graine=0, cycle=Cycle(None), **champs)


def test_attente_active_compte_les_etapes_a_la_francaise():
    ex = _execution(attente_active=True, pas=PAS_MAX_DEFAUT + 1)
    assert verdicts.probleme(ex, "attendre") == verdicts.MSG_ATTENTE_ACTIVE.format(quoi="attendre",
                                                                                     pas=entier(PAS_MAX_DEFAUT))
    assert f"200{ESPACE_MILLIERS}000" in verdicts.probleme(ex, "attendre")


def test_exception_de_thread_nomme_le_thread_une_fois():
    ex = _execution(exceptions_threads=[("T2", "KeyError: x")])
    assert verdicts.probleme(ex, "travailleur") == verdicts.MSG_EXCEPTION_THREAD.format(thread="T2",
                                                                                         exception="KeyError: x")


def test_scenario_est_une_phrase_a_part():
    """The graded name is the subject; what the run did is its own sentence (no agreement to get wrong)."""
    ex = _execution(exception="ValueError: montant")
    attendu = (verdicts.MSG_EXCEPTION.format(quoi="CompteBancaire", exception="ValueError: montant") + "\n"
               + verdicts.MSG_SCENARIO.format(scenario="trois threads déposent"))
    assert verdicts.probleme(ex, "CompteBancaire", "trois threads déposent") == attendu


@pytest.mark.parametrize("lignes, conseil", [
    (["T0 attend un verrou qu'il détient déjà (ligne 8)"], verdicts.CONSEIL_REENTRANT.format(thread="T0 (le thread principal)")),
    (["T0 attend la fin de T1 (join)", "T1 attend un verrou détenu par T2 (ligne 14)",
      "T2 attend un verrou détenu par T1 (ligne 20)"], verdicts.CONSEIL_ORDRE.format(threads="T1 et T2")),
    (["T0 attend la fin de T2 (join)", "T2 attend un élément de la file (get, ligne 5)"],
     verdicts.CONSEIL_SENTINELLE.format(thread="T2")),
    (["T0 attend Queue.join() : 6 élément(s) sans task_done (ligne 11)"], verdicts.CONSEIL_TASK_DONE),
    (["T0 attend la fin de T3 (join)", "T3 attend un verrou détenu par T1 (ligne 18)"],
     verdicts.CONSEIL_NON_RELACHE.format(thread="T3")),
    (["T0 attend la fin de T1 (join)", "T1 attend un Event (ligne 4)"], verdicts.CONSEIL_GENERAL),
])
def test_chaque_interblocage_a_son_conseil(lignes: list[str], conseil: str):
    ex = _execution(interblocage=lignes)
    detail = "\n".join("    " + nom_thread(ligne.split(" ", 1)[0]) + " " + ligne.split(" ", 1)[1] for ligne in lignes)
    assert verdicts.probleme(ex, "f") == verdicts.MSG_INTERBLOCAGE.format(quoi="f", detail=detail, conseil=conseil)


SNAPSHOT = RACINE / "tests" / "snapshots" / "messages.txt"


def test_templates_match_the_reviewed_snapshot():
    """Any change to a French template (a word, a field, a new or removed one) fails here until the snapshot is
    reviewed and rewritten: UPDATE_MESSAGE_SNAPSHOT=1 python -m pytest tests/test_messages.py -k snapshot."""
    lignes = sorted(f"{nom} = {modele!r}" for _, nom, modele in MODELES)
    texte = "\n".join(lignes) + "\n"
    if os.environ.get("UPDATE_MESSAGE_SNAPSHOT") == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(texte, encoding="utf-8")
    attendues = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    assert lignes == attendues, "\n".join(
        [f"- {l}" for l in attendues if l not in lignes] + [f"+ {l}" for l in lignes if l not in attendues])
