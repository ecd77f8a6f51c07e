"""The `autograder` command: grade, batch, rapport, demo, collect, export, gradescope, lti."""
from __future__ import annotations

import argparse
import os
import json
import sys
from pathlib import Path

from .argparse_fr import positive_integer, install
from .assignment import AssignmentError, load_assignment, find_root

MSG_IGNORE = "ignoré : {chemin} — {raison}"
MSG_EMPTY = ("Aucune copie de {id} dans {dossier} : attendu {dossier}/<étudiant>/{id}/{id}.ipynb "
            "(ou un dossier de <étudiant>.ipynb). Rien n'a été noté.")
MSG_INTERRUPTION = ("Interrompu : {n} copie(s) notée(s) et enregistrée(s) avant l'arrêt. Relancez la même "
                    "commande pour reprendre : les copies déjà notées ne seront pas corrigées à nouveau.")
MSG_INTERRUPTION_START = "Interrompu avant toute correction. Relancez la même commande pour reprendre."
MSG_BATCH = ("{n} copie(s) de {id} notée(s) ({nouvelles} dans cette exécution, {reprises} reprise(s)) : "
           "résultats dans {sortie}, rapport de classe {rapport}, gradebook {url}.")
MSG_NOTEBOOK_INTROUVABLE = "Notebook introuvable : {chemin} (chemin donné en argument)"
MSG_NOTE = "Noté {chemin} : {score:g} / {max_score:g}."
MSG_LTI = "LTI : {envoyes} note(s) de {id} envoyée(s), {a_renvoyer} à renvoyer."
MSG_REPORT = "Rapport de classe de {id} : {html} (tableau : {csv}), {n} copie(s)."
EXIT_EMPTY = 1
EXIT_INTERRUPTION = 130


def _assignment(args: argparse.Namespace, journal: bool = False):
    root = find_root()
    if journal:  # third-party warnings and logs go to resultats/autograder.log, not to the terminal
        from .journal import log_path, to_file
        to_file(log_path(root))
    return root, load_assignment(root, args.assignment)


def _relative(path: Path) -> str:
    try:
        # The link itself, never where it points (a skipped link is named as the TA sees it).
        return str(Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(Path.cwd()))))
    except ValueError:
        return str(path)


def cmd_grade(args: argparse.Namespace) -> int:
    from .engine import grade_notebook
    from .manual import with_manual
    from .summary import resume

    root, assignment = _assignment(args)
    path = Path(args.notebook)
    if not path.exists():
        raise AssignmentError(MSG_NOTEBOOK_INTROUVABLE.format(chemin=path))
    resultat = with_manual(grade_notebook(path, assignment), assignment)
    print(resume(resultat, assignment))
    if args.json:
        texte = json.dumps(resultat.to_dict(), ensure_ascii=False, indent=1)
        if args.json == "-":
            print(texte)
        else:
            Path(args.json).write_text(texte + "\n", encoding="utf-8")
    print(MSG_NOTE.format(chemin=path, score=resultat.score, max_score=resultat.max_score))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import Interrupted, find_copies
    from .campaign import run_batch

    root, assignment = _assignment(args, journal=True)
    folder = Path(args.path) if args.path else root / "submitted"
    if not folder.is_dir():
        raise AssignmentError(f"Dossier de copies introuvable : {folder} ; donnez le dossier des copies en argument, "
                           "ou lancez la commande depuis la racine du cours qui contient submitted/.")
    inventory = find_copies(folder, assignment.id)
    for path, reason in inventory.ignores:
        print(MSG_IGNORE.format(chemin=_relative(path), raison=reason))
    if not inventory.copies:
        print(f"autograder : {MSG_EMPTY.format(id=assignment.id, dossier=_relative(folder))}", file=sys.stderr)
        return EXIT_EMPTY
    output = root / "resultats" / assignment.id
    try:
        campaign_summary = run_batch(root, assignment, inventory.copies, args.jobs, show=not args.quiet)
    except Interrupted:
        n = len(list(output.glob("*.json")))
        print(MSG_INTERRUPTION.format(n=n), file=sys.stderr)
        return EXIT_INTERRUPTION
    print(MSG_BATCH.format(n=len(campaign_summary.resultats), id=assignment.id, nouvelles=len(campaign_summary.graded),
                         reprises=len(campaign_summary.resultats) - len(campaign_summary.graded), sortie=_relative(output),
                         rapport=_relative(campaign_summary.report), url=campaign_summary.url))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    root, assignment = _assignment(args, journal=True)
    html, table = write_report(root, assignment)
    with open(table, encoding="utf-8") as f:
        n = max(0, sum(1 for _ in f) - 1)
    print(MSG_REPORT.format(id=assignment.id, html=_relative(html), csv=_relative(table), n=n))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import demo
    root = find_root()
    from .journal import to_file
    return demo(root, jobs=args.jobs, journal=to_file)


def cmd_collect(args: argparse.Namespace) -> int:
    from .lms.collect import collect_zip
    root, assignment = _assignment(args)
    report = collect_zip(Path(args.zip), root / "submitted", assignment.id, args.lms)
    for line in report.journal:
        print(line)
    print(f"{len(report.imported)} copie(s) importée(s) dans submitted/ pour {assignment.id} "
          f"({len(report.ignores)} ignorée(s)).")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .gradebook import nbgrader_light

    root, assignment = _assignment(args, journal=True)
    nbgrader_light()
    from .lms.export import export_gradebook

    path = export_gradebook(root, assignment, args.to, Path(args.output) if args.output else None, langue=args.langue)
    print(f"Gradebook de {assignment.id} exporté au format {args.to} : {path}.")
    return 0


def cmd_gradescope(args: argparse.Namespace) -> int:
    from .lms.gradescope import build
    root = find_root()
    assignment = load_assignment(root, args.assignment)
    path = build(root, assignment, Path(args.output) if args.output else None)
    print(f"Archive Gradescope de {assignment.id} : {path}.")
    return 0


def cmd_lti(args: argparse.Namespace) -> int:
    from .gradebook import url_gradebook
    from .lms.lti import send
    root, assignment = _assignment(args, journal=True)
    passback = send(root, assignment, Path(args.config) if args.config else root / "lti.toml", url_gradebook(root))
    for line in passback.journal:
        print(line)
    print(MSG_LTI.format(envoyes=len(passback.sent), id=assignment.id, a_renvoyer=len(passback.to_resend)))
    return 0 if not passback.to_resend else 1


def parser() -> argparse.ArgumentParser:
    install()
    p = argparse.ArgumentParser(prog="autograder", description="Correction automatique du cours sur les threads.",
                                epilog="Lancez chaque commande depuis la racine du cours (le dossier qui contient "
                                       "nbgrader_config.py). Aide d'une commande : autograder COMMANDE --help.")
    under = p.add_subparsers(dest="commande", required=True, metavar="COMMANDE", title="commandes")
    g = under.add_parser("grade", help="noter un notebook", description="Noter un notebook et afficher le détail.")
    g.add_argument("notebook", help="le notebook soumis à noter")
    g.add_argument("--assignment", required=True, metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    g.add_argument("--json", metavar="FICHIER", help="écrire le résultat JSON dans FICHIER (- : sortie standard)")
    g.set_defaults(f=cmd_grade)
    b = under.add_parser("batch", help="noter toutes les copies d'un devoir",
                        description="Noter en parallèle toutes les copies d'un devoir, les enregistrer dans le "
                                    "gradebook de nbgrader (formgrader les affiche) et écrire le rapport de classe. "
                                    "Reprend là où une exécution interrompue s'est arrêtée.")
    b.add_argument("path", nargs="?", metavar="DOSSIER",
                   help="dossier des copies : submitted/ de nbgrader (par défaut) ou un dossier de <étudiant>.ipynb")
    b.add_argument("--assignment", required=True, metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    b.add_argument("--jobs", type=positive_integer, default=0, metavar="N",
                   help="copies notées en parallèle (par défaut : nombre de cœurs)")
    b.add_argument("--quiet", action="store_true", help="sans barre de progression")
    b.set_defaults(f=cmd_batch)
    r = under.add_parser("rapport", help="écrire le rapport de classe d'un devoir",
                        description="Écrire resultats/ID/rapport.html (graphiques) et rapport.csv à partir du "
                                    "gradebook et des résultats.")
    r.add_argument("--assignment", required=True, metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    r.set_defaults(f=cmd_report)
    d = under.add_parser("demo", help="noter les copies d'exemple de chaque devoir",
                        description="Noter les copies d'exemple de chaque devoir dans une copie temporaire du "
                                    "cours : le gradebook du cours n'est jamais modifié.")
    d.add_argument("--jobs", type=positive_integer, default=0, metavar="N",
                   help="copies notées en parallèle (par défaut : nombre de cœurs)")
    d.set_defaults(f=cmd_demo)
    c = under.add_parser("collect", help="importer un zip Canvas ou Moodle dans submitted/",
                        description="Importer un téléchargement groupé Canvas ou Moodle dans submitted/.")
    c.add_argument("zip", metavar="ZIP", help="l'archive téléchargée depuis le LMS")
    c.add_argument("--assignment", required=True, metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    c.add_argument("--lms", choices=["canvas", "moodle"], default=None,
                   help="LMS d'origine (par défaut : deviné d'après les noms de fichiers)")
    c.set_defaults(f=cmd_collect)
    e = under.add_parser("export", help="exporter le gradebook pour un LMS",
                        description="Exporter les notes du gradebook au format d'import d'un LMS.")
    e.add_argument("--assignment", required=True, metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    e.add_argument("--to", choices=["canvas", "moodle", "csv"], required=True, help="format du fichier")
    e.add_argument("--output", metavar="FICHIER", help="fichier écrit (par défaut : exports/ID-FORMAT.csv)")
    e.add_argument("--langue", choices=["fr", "en"], default="fr",
                   help="langue du site Moodle qui importe la feuille de notes (par défaut : fr)")
    e.set_defaults(f=cmd_export)
    s = under.add_parser("gradescope", help="construire l'archive autograder Gradescope d'un devoir",
                        description="Construire l'archive autograder Gradescope d'un devoir.")
    s.add_argument("assignment", metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    s.add_argument("--output", metavar="FICHIER", help="archive écrite (par défaut : ID-gradescope.zip)")
    s.set_defaults(f=cmd_gradescope)
    lt = under.add_parser("lti", help="envoyer les notes à la plateforme LTI 1.3 (services AGS)",
                         description="Envoyer les notes du gradebook à la plateforme LTI 1.3 (services AGS).")
    lt.add_argument("--assignment", required=True, metavar="ID", help="identifiant du devoir (ex. 02-verrous)")
    lt.add_argument("--config", metavar="FICHIER", help="fichier lti.toml (par défaut : à la racine du cours)")
    lt.set_defaults(f=cmd_lti)
    return p


def main(argv: list[str] | None = None) -> int:
    from .gradebook import path_with_venv

    path_with_venv()
    try:
        args = parser().parse_args(argv)
        return args.f(args)
    except KeyboardInterrupt:
        print(MSG_INTERRUPTION_START, file=sys.stderr)
        return EXIT_INTERRUPTION
    except AssignmentError as e:
        print(f"autograder : {e}", file=sys.stderr)
        return 2
    except FileNotFoundError as e:
        print(f"autograder : fichier introuvable : {e.filename} ; vérifiez le chemin donné en argument.", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
