"""The `autograder` command: grade, batch, rapport, demo, collect, export, gradescope, lti."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .argparse_fr import entier_positif, installer
from .assignment import ErreurDevoir, charger_devoir, trouver_racine

MSG_IGNORE = "ignoré : {chemin} — {raison}"
MSG_VIDE = ("Aucune copie de {id} dans {dossier} : attendu {dossier}/<étudiant>/{id}/{id}.ipynb "
            "(ou un dossier de <étudiant>.ipynb). Rien n'a été noté.")
MSG_INTERRUPTION = ("Interrompu : {n} copie(s) notée(s) et enregistrée(s) avant l'arrêt. Relancez la même "
                    "commande pour reprendre : les copies déjà notées ne seront pas corrigées à nouveau.")
MSG_INTERRUPTION_DEBUT = "Interrompu avant toute correction. Relancez la même commande pour reprendre."
MSG_LOT = ("{n} copie(s) de {id} notée(s) ({nouvelles} dans cette exécution, {reprises} reprise(s)) : "
           "résultats dans {sortie}, rapport de classe {rapport}, gradebook {url}.")
MSG_NOTEBOOK_INTROUVABLE = "Notebook introuvable : {chemin} (chemin donné en argument)"
MSG_NOTE = "Noté {chemin} : {score:g} / {max_score:g}."
MSG_LTI = "LTI : {envoyes} note(s) de {id} envoyée(s), {a_renvoyer} à renvoyer."
MSG_RAPPORT = "Rapport de classe de {id} : {html} (tableau : {csv}), {n} copie(s)."
EXIT_VIDE = 1
EXIT_INTERRUPTION = 130


def _devoir(args: argparse.Namespace, journal: bool = False):
    racine = trouver_racine()
    if journal:  # third-party warnings and logs go to resultats/autograder.log, not to the terminal
        from .journal import chemin_journal, vers_fichier
        vers_fichier(chemin_journal(racine))
    return racine, charger_devoir(racine, args.assignment)


def _relatif(chemin: Path) -> str:
    try:
        return str(chemin.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(chemin)


def cmd_grade(args: argparse.Namespace) -> int:
    from .engine import noter_notebook
    from .manual import avec_manuel
    from .summary import resume

    racine, devoir = _devoir(args)
    chemin = Path(args.notebook)
    if not chemin.exists():
        raise ErreurDevoir(MSG_NOTEBOOK_INTROUVABLE.format(chemin=chemin))
    resultat = avec_manuel(noter_notebook(chemin, devoir), devoir)
    print(resume(resultat, devoir))
    if args.json:
        texte = json.dumps(resultat.to_dict(), ensure_ascii=False, indent=1)
        if args.json == "-":
            print(texte)
        else:
            Path(args.json).write_text(texte + "\n", encoding="utf-8")
    print(MSG_NOTE.format(chemin=chemin, score=resultat.score, max_score=resultat.max_score))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import Interrompu, trouver_copies
    from .campagne import lancer

    racine, devoir = _devoir(args, journal=True)
    dossier = Path(args.path) if args.path else racine / "submitted"
    if not dossier.is_dir():
        raise ErreurDevoir(f"Dossier de copies introuvable : {dossier} ; donnez le dossier des copies en argument, "
                           "ou lancez la commande depuis la racine du cours qui contient submitted/.")
    inventaire = trouver_copies(dossier, devoir.id)
    for chemin, raison in inventaire.ignores:
        print(MSG_IGNORE.format(chemin=_relatif(chemin), raison=raison))
    if not inventaire.copies:
        print(f"autograder : {MSG_VIDE.format(id=devoir.id, dossier=_relatif(dossier))}", file=sys.stderr)
        return EXIT_VIDE
    sortie = racine / "resultats" / devoir.id
    try:
        bilan = lancer(racine, devoir, inventaire.copies, args.jobs, afficher=not args.quiet)
    except Interrompu:
        n = len(list(sortie.glob("*.json")))
        print(MSG_INTERRUPTION.format(n=n), file=sys.stderr)
        return EXIT_INTERRUPTION
    print(MSG_LOT.format(n=len(bilan.resultats), id=devoir.id, nouvelles=len(bilan.notees),
                         reprises=len(bilan.resultats) - len(bilan.notees), sortie=_relatif(sortie),
                         rapport=_relatif(bilan.rapport), url=bilan.url))
    return 0


def cmd_rapport(args: argparse.Namespace) -> int:
    from .report import ecrire_rapport

    racine, devoir = _devoir(args, journal=True)
    html, tableau = ecrire_rapport(racine, devoir)
    with open(tableau, encoding="utf-8") as f:
        n = max(0, sum(1 for _ in f) - 1)
    print(MSG_RAPPORT.format(id=devoir.id, html=_relatif(html), csv=_relatif(tableau), n=n))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import demo
    racine = trouver_racine()
    from .journal import vers_fichier
    return demo(racine, jobs=args.jobs, journal=vers_fichier)


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
    from .gradebook import nbgrader_leger

    racine, devoir = _devoir(args, journal=True)
    nbgrader_leger()
    from .lms.export import exporter

    chemin = exporter(racine, devoir, args.to, Path(args.output) if args.output else None, langue=args.langue)
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
    racine, devoir = _devoir(args, journal=True)
    envoi = envoyer(racine, devoir, Path(args.config) if args.config else racine / "lti.toml", url_gradebook(racine))
    for ligne in envoi.journal:
        print(ligne)
    print(MSG_LTI.format(envoyes=len(envoi.envoyes), id=devoir.id, a_renvoyer=len(envoi.a_renvoyer)))
    return 0 if not envoi.a_renvoyer else 1


def analyseur() -> argparse.ArgumentParser:
    installer()
    p = argparse.ArgumentParser(prog="autograder", description="Correction automatique du cours sur les threads.",
                                epilog="Lancez chaque commande depuis la racine du cours (le dossier qui contient "
                                       "nbgrader_config.py). Aide d'une commande : autograder COMMANDE --help.")
    sous = p.add_subparsers(dest="commande", required=True, metavar="COMMANDE", title="commandes")
    g = sous.add_parser("grade", help="noter un notebook", description="Noter un notebook et afficher le détail.")
    g.add_argument("notebook", help="le notebook soumis à noter")
    g.add_argument("--assignment", required=True, metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    g.add_argument("--json", metavar="FICHIER", help="écrire le résultat JSON dans FICHIER (- : sortie standard)")
    g.set_defaults(f=cmd_grade)
    b = sous.add_parser("batch", help="noter toutes les copies d'un devoir",
                        description="Noter en parallèle toutes les copies d'un devoir, les enregistrer dans le "
                                    "gradebook de nbgrader (formgrader les affiche) et écrire le rapport de classe. "
                                    "Reprend là où une exécution interrompue s'est arrêtée.")
    b.add_argument("path", nargs="?", metavar="DOSSIER",
                   help="dossier des copies : submitted/ de nbgrader (par défaut) ou un dossier de <étudiant>.ipynb")
    b.add_argument("--assignment", required=True, metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    b.add_argument("--jobs", type=entier_positif, default=0, metavar="N",
                   help="copies notées en parallèle (par défaut : nombre de cœurs)")
    b.add_argument("--quiet", action="store_true", help="sans barre de progression")
    b.set_defaults(f=cmd_batch)
    r = sous.add_parser("rapport", help="écrire le rapport de classe d'un devoir",
                        description="Écrire resultats/ID/rapport.html (graphiques) et rapport.csv à partir du "
                                    "gradebook et des résultats.")
    r.add_argument("--assignment", required=True, metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    r.set_defaults(f=cmd_rapport)
    d = sous.add_parser("demo", help="noter les copies d'exemple de chaque devoir",
                        description="Noter les copies d'exemple de chaque devoir dans une copie temporaire du "
                                    "cours : le gradebook du cours n'est jamais modifié.")
    d.add_argument("--jobs", type=entier_positif, default=0, metavar="N",
                   help="copies notées en parallèle (par défaut : nombre de cœurs)")
    d.set_defaults(f=cmd_demo)
    c = sous.add_parser("collect", help="importer un zip Canvas ou Moodle dans submitted/",
                        description="Importer un téléchargement groupé Canvas ou Moodle dans submitted/.")
    c.add_argument("zip", metavar="ZIP", help="l'archive téléchargée depuis le LMS")
    c.add_argument("--assignment", required=True, metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    c.add_argument("--lms", choices=["canvas", "moodle"], default=None,
                   help="LMS d'origine (par défaut : deviné d'après les noms de fichiers)")
    c.set_defaults(f=cmd_collect)
    e = sous.add_parser("export", help="exporter le gradebook pour un LMS",
                        description="Exporter les notes du gradebook au format d'import d'un LMS.")
    e.add_argument("--assignment", required=True, metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    e.add_argument("--to", choices=["canvas", "moodle", "csv"], required=True, help="format du fichier")
    e.add_argument("--output", metavar="FICHIER", help="fichier écrit (par défaut : exports/ID-FORMAT.csv)")
    e.add_argument("--langue", choices=["fr", "en"], default="fr",
                   help="langue du site Moodle qui importe la feuille de notes (par défaut : fr)")
    e.set_defaults(f=cmd_export)
    s = sous.add_parser("gradescope", help="construire l'archive autograder Gradescope d'un devoir",
                        description="Construire l'archive autograder Gradescope d'un devoir.")
    s.add_argument("assignment", metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    s.add_argument("--output", metavar="FICHIER", help="archive écrite (par défaut : ID-gradescope.zip)")
    s.set_defaults(f=cmd_gradescope)
    lt = sous.add_parser("lti", help="envoyer les notes à la plateforme LTI 1.3 (services AGS)",
                         description="Envoyer les notes du gradebook à la plateforme LTI 1.3 (services AGS).")
    lt.add_argument("--assignment", required=True, metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    lt.add_argument("--config", metavar="FICHIER", help="fichier lti.toml (par défaut : à la racine du cours)")
    lt.set_defaults(f=cmd_lti)
    return p


def main(argv: list[str] | None = None) -> int:
    from .gradebook import chemin_avec_venv

    chemin_avec_venv()
    try:
        args = analyseur().parse_args(argv)
        return args.f(args)
    except KeyboardInterrupt:
        print(MSG_INTERRUPTION_DEBUT, file=sys.stderr)
        return EXIT_INTERRUPTION
    except ErreurDevoir as e:
        print(f"autograder : {e}", file=sys.stderr)
        return 2
    except FileNotFoundError as e:
        print(f"autograder : fichier introuvable : {e.filename} ; vérifiez le chemin donné en argument.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
