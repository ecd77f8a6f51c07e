"""The `autograder` command: grade, batch, demo, collect, export, gradescope, lti."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .assignment import ErreurDevoir, charger_devoir, trouver_racine


def _devoir(args: argparse.Namespace):
    racine = trouver_racine()
    return racine, charger_devoir(racine, args.assignment)


def cmd_grade(args: argparse.Namespace) -> int:
    from .engine import noter_notebook
    from .summary import resume

    racine, devoir = _devoir(args)
    chemin = Path(args.notebook)
    if not chemin.exists():
        raise ErreurDevoir(f"Notebook introuvable : {chemin} (chemin donné en argument)")
    resultat = noter_notebook(chemin, devoir)
    print(resume(resultat))
    if args.json:
        texte = json.dumps(resultat.to_dict(), ensure_ascii=False, indent=1)
        if args.json == "-":
            print(texte)
        else:
            Path(args.json).write_text(texte + "\n", encoding="utf-8")
    print(f"Noté {chemin} : {resultat.score:g} / {resultat.max_score:g}.")
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import noter_lot, trouver_copies
    from .feedback import ecrire
    from nbgrader.api import Gradebook

    from .gradebook import assurer_devoir, enregistrer, url_gradebook

    racine, devoir = _devoir(args)
    dossier = Path(args.path) if args.path else racine / "submitted"
    if not dossier.is_dir():
        raise ErreurDevoir(f"Dossier de copies introuvable : {dossier} ; donnez le dossier des copies en argument, "
                           "ou lancez la commande depuis la racine du cours qui contient submitted/.")
    copies = trouver_copies(dossier, devoir.id)
    sortie = racine / "resultats" / devoir.id
    url = url_gradebook(racine)
    assurer_devoir(racine, devoir, url)
    notees: set[str] = set()
    with Gradebook(url) as gb:
        def au_resultat(copie, r) -> None:
            enregistrer(gb, devoir, copie.etudiant, r)
            ecrire(r, copie.etudiant, sortie / f"{copie.etudiant}.html")
            notees.add(copie.etudiant)

        resultats = noter_lot(racine, devoir, copies, sortie, args.jobs or os.cpu_count() or 1, au_resultat,
                              afficher=not args.quiet)
        for etudiant, r in resultats.items():  # resumed results reach the gradebook too (idempotent)
            if etudiant not in notees:
                enregistrer(gb, devoir, etudiant, r)
    print(f"{len(resultats)} copie(s) de {devoir.id} notée(s) : résultats dans {sortie}, gradebook {url}.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import demo
    return demo(trouver_racine(), jobs=args.jobs)


def cmd_collect(args: argparse.Namespace) -> int:
    from .lms.collect import collecter
    racine, devoir = _devoir(args)
    rapport = collecter(Path(args.zip), racine / "submitted", devoir.id, args.lms)
    for ligne in rapport.journal:
        print(ligne)
    print(f"{len(rapport.importes)} copie(s) importée(s) dans submitted/ pour {devoir.id} "
          f"({len(rapport.ignores)} ignorée(s)).")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .lms.export import exporter
    racine, devoir = _devoir(args)
    chemin = exporter(racine, devoir, args.to, Path(args.output) if args.output else None)
    print(f"Gradebook de {devoir.id} exporté au format {args.to} : {chemin}.")
    return 0


def cmd_gradescope(args: argparse.Namespace) -> int:
    from .lms.gradescope import construire
    racine = trouver_racine()
    devoir = charger_devoir(racine, args.assignment)
    chemin = construire(racine, devoir, Path(args.output) if args.output else None)
    print(f"Archive Gradescope de {devoir.id} : {chemin}.")
    return 0


def cmd_lti(args: argparse.Namespace) -> int:
    from .gradebook import url_gradebook
    from .lms.lti import envoyer
    racine, devoir = _devoir(args)
    envoi = envoyer(racine, devoir, Path(args.config) if args.config else racine / "lti.toml", url_gradebook(racine))
    for ligne in envoi.journal:
        print(ligne)
    print(f"LTI : {len(envoi.envoyes)} note(s) de {devoir.id} envoyée(s), {len(envoi.a_renvoyer)} à renvoyer.")
    return 0 if not envoi.a_renvoyer else 1


def analyseur() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="autograder", description="Correction automatique du cours sur les threads.")
    sous = p.add_subparsers(dest="commande", required=True)
    g = sous.add_parser("grade", help="noter un notebook")
    g.add_argument("notebook")
    g.add_argument("--assignment", required=True)
    g.add_argument("--json", metavar="FILE", help="écrire le résultat JSON dans FILE (- : sortie standard)")
    g.set_defaults(f=cmd_grade)
    b = sous.add_parser("batch", help="noter toutes les copies d'un devoir")
    b.add_argument("path", nargs="?")
    b.add_argument("--assignment", required=True)
    b.add_argument("--jobs", type=int, default=0)
    b.add_argument("--quiet", action="store_true", help="sans barre de progression")
    b.set_defaults(f=cmd_batch)
    d = sous.add_parser("demo", help="noter les copies d'exemple de chaque devoir")
    d.add_argument("--jobs", type=int, default=0)
    d.set_defaults(f=cmd_demo)
    c = sous.add_parser("collect", help="importer un zip Canvas ou Moodle dans submitted/")
    c.add_argument("zip")
    c.add_argument("--assignment", required=True)
    c.add_argument("--lms", choices=["canvas", "moodle"], default=None)
    c.set_defaults(f=cmd_collect)
    e = sous.add_parser("export", help="exporter le gradebook pour un LMS")
    e.add_argument("--assignment", required=True)
    e.add_argument("--to", choices=["canvas", "moodle", "csv"], required=True)
    e.add_argument("--output")
    e.set_defaults(f=cmd_export)
    s = sous.add_parser("gradescope", help="construire l'archive autograder Gradescope d'un devoir")
    s.add_argument("assignment")
    s.add_argument("--output")
    s.set_defaults(f=cmd_gradescope)
    lt = sous.add_parser("lti", help="envoyer les notes à la plateforme LTI 1.3 (services AGS)")
    lt.add_argument("--assignment", required=True)
    lt.add_argument("--config", help="fichier lti.toml (par défaut : à la racine du cours)")
    lt.set_defaults(f=cmd_lti)
    return p


def main(argv: list[str] | None = None) -> int:
    args = analyseur().parse_args(argv)
    try:
        return args.f(args)
    except ErreurDevoir as e:
        print(f"autograder : {e}", file=sys.stderr)
        return 2
    except FileNotFoundError as e:
        print(f"autograder : fichier introuvable : {e.filename} ; vérifiez le chemin donné en argument.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
