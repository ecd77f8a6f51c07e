"""The TA's class report: one offline HTML page with plots (inline SVG) and a CSV of the same table."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from jinja2 import Environment, select_autoescape

from .assignment import Devoir
from .report_data import INCIDENTS, Classe, charger_classe

NOM_HTML = "rapport.html"
NOM_CSV = "rapport.csv"

MODELE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Rapport de classe — {{ d.id }}</title>
<style>
body{font-family:sans-serif;max-width:70em;margin:2em auto;line-height:1.4}
table{border-collapse:collapse;margin:1em 0}td,th{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right}.fig{display:inline-block;vertical-align:top;margin:.5em}.fig svg{max-width:100%;height:auto}
.alerte{color:#b42318}
</style></head><body>
<h1>Rapport de classe — {{ d.id }} : {{ d.titre }}</h1>
<p id="synthese">{{ c.lignes|length }} copie(s) dans le gradebook ; note maximale {{ '%g' % c.max_score }} ;
{% if c.lignes %}moyenne {{ '%.2f' % moyenne }}, médiane {{ '%g' % mediane }}{% endif %}{% if a_corriger %} ;
{{ a_corriger }} copie(s) avec des réponses à corriger à la main dans formgrader{% endif %}.</p>
<div class="fig" id="fig-notes"><h2>Répartition des notes</h2>{{ svg_notes|safe }}</div>
<div class="fig" id="fig-durees"><h2>Temps de correction par copie</h2>{{ svg_durees|safe }}</div>
<div class="fig" id="fig-echecs"><h2>Taux d'échec de chaque vérification</h2>{{ svg_echecs|safe }}</div>
<h2>Copies à regarder : délai dépassé, plantage, altération du correcteur</h2>
{% if c.avec_incident %}<table id="incidents"><tr><th>copie</th><th>incidents</th><th>note</th><th>message</th></tr>
{% for l in c.avec_incident %}<tr><td>{% if l.retour %}<a href="{{ l.retour }}">{{ l.etudiant }}</a>{% else %}{{ l.etudiant }}{% endif %}</td>
<td class="alerte">{{ l.incidents|map('incident')|join(', ') }}</td><td class="n">{{ '%g' % l.score }}</td>
<td>{{ l.erreurs[0] if l.erreurs else '' }}</td></tr>
{% endfor %}</table>{% else %}<p id="incidents">Aucune.</p>{% endif %}
<h2>Toutes les copies</h2>
<table id="copies"><tr>{% for e in entete %}<th>{{ e }}</th>{% endfor %}</tr>
{% for l in c.lignes %}<tr><td>{% if l.retour %}<a href="{{ l.retour }}">{{ l.etudiant }}</a>{% else %}{{ l.etudiant }}{% endif %}</td>
<td class="n">{{ '%g' % l.score }}</td><td class="n">{{ '%g' % l.max_score }}</td>
{% for t in d.taches %}<td class="n">{{ '%g' % l.taches[t.id] }}</td>{% endfor %}
<td class="n">{{ '%.2f' % l.duree if l.duree is not none else '' }}</td><td>{{ l.incidents|map('incident')|join(', ') }}</td>
<td>{{ 'oui' if l.a_corriger else '' }}</td></tr>
{% endfor %}</table>
</body></html>
"""


def entete(devoir: Devoir) -> list[str]:
    """The columns of the report's table and CSV."""
    return ["copie", "note", "note max", *[t.id for t in devoir.taches], "durée (s)", "incidents",
            "à corriger à la main"]


def _svg(fig) -> str:
    tampon = io.StringIO()
    fig.savefig(tampon, format="svg", bbox_inches="tight")
    texte = tampon.getvalue()
    return texte[texte.index("<svg"):]


def graphiques(c: Classe) -> tuple[str, str, str]:
    """Score histogram, duration histogram, failure rate per check: three inline SVG figures."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 9})
    fig, ax = plt.subplots(figsize=(5, 3))
    bornes = [x / 2 for x in range(0, int(c.max_score * 2) + 2)]
    ax.hist(c.scores, bins=bornes, color="#3b6ea8", edgecolor="white")
    ax.set_xlabel(f"note (sur {c.max_score:g})")
    ax.set_ylabel("copies")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    svg_notes = _svg(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 3))
    durees = [ligne.duree for ligne in c.lignes if ligne.duree is not None]
    ax.hist(durees, bins=min(20, max(1, len(durees))), color="#6a8f3b", edgecolor="white")
    ax.set_xlabel("secondes")
    ax.set_ylabel("copies")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    svg_durees = _svg(fig)
    plt.close(fig)

    noms = [c.labels.get(k, k) for k in c.echecs]
    taux = [100 * e / n if n else 0.0 for e, n in c.echecs.values()]
    fig, ax = plt.subplots(figsize=(9, 0.3 * len(noms) + 0.8))
    ax.barh(range(len(noms)), taux, color="#b42318")
    ax.set_yticks(range(len(noms)), [n if len(n) < 90 else n[:87] + "…" for n in noms])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("copies en échec (%)")
    svg_echecs = _svg(fig)
    plt.close(fig)
    return svg_notes, svg_durees, svg_echecs


def ecrire_csv(c: Classe, chemin: Path) -> Path:
    with open(chemin, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(entete(c.devoir))
        for ligne in c.lignes:
            w.writerow([ligne.etudiant, f"{ligne.score:g}", f"{ligne.max_score:g}",
                        *[f"{ligne.taches[t.id]:g}" for t in c.devoir.taches],
                        "" if ligne.duree is None else f"{ligne.duree:.2f}", " ".join(ligne.incidents),
                        "oui" if ligne.a_corriger else ""])
    return chemin


def ecrire_html(c: Classe, chemin: Path) -> Path:
    import statistics

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["incident"] = lambda code: INCIDENTS.get(code, code)
    svg_notes, svg_durees, svg_echecs = graphiques(c)
    scores = c.scores
    chemin.write_text(env.from_string(MODELE).render(
        d=c.devoir, c=c, entete=entete(c.devoir), svg_notes=svg_notes, svg_durees=svg_durees, svg_echecs=svg_echecs,
        moyenne=statistics.fmean(scores) if scores else 0.0, mediane=statistics.median(scores) if scores else 0.0,
        a_corriger=sum(1 for ligne in c.lignes if ligne.a_corriger)), encoding="utf-8")
    return chemin


def ecrire_rapport(racine: Path, devoir: Devoir, url: str = "") -> tuple[Path, Path]:
    """Write resultats/<id>/rapport.html and rapport.csv from the gradebook at ``url`` and the result files."""
    from .gradebook import nbgrader_leger, url_gradebook

    nbgrader_leger()
    from nbgrader.api import Gradebook

    dossier = racine / "resultats" / devoir.id
    dossier.mkdir(parents=True, exist_ok=True)
    with Gradebook(url or url_gradebook(racine)) as gb:
        classe = charger_classe(racine, devoir, gb)
    return ecrire_html(classe, dossier / NOM_HTML), ecrire_csv(classe, dossier / NOM_CSV)
