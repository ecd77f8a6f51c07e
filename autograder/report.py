"""The TA's class report: one offline HTML page with plots (inline SVG) and a CSV of the same table."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from jinja2 import Environment, select_autoescape

from .assignment import Assignment
from .report_data import INCIDENTS, Class, load_class

HTML_NAME = "rapport.html"
CSV_NAME = "rapport.csv"

TEMPLATE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Rapport de classe — {{ d.id }}</title>
<style>
body{font-family:sans-serif;max-width:70em;margin:2em auto;line-height:1.4}
table{border-collapse:collapse;margin:1em 0}td,th{padding:.2em .7em;border-bottom:1px solid #ddd;text-align:left}
td.n{text-align:right}.fig{display:inline-block;vertical-align:top;margin:.5em}.fig svg{max-width:100%;height:auto}
.alerte{color:#b42318}
</style></head><body>
<h1>Rapport de classe — {{ d.id }} : {{ d.title }}</h1>
<p id="synthese">{{ c.lignes|length }} copie(s) dans le gradebook ; note maximale {{ '%g' % c.max_score }} ;
{% if c.lignes %}moyenne {{ '%.2f' % moyenne }}, médiane {{ '%g' % mediane }}{% endif %}{% if to_grade %} ;
{{ to_grade }} copie(s) avec des réponses à corriger à la main dans formgrader{% endif %}.</p>
<div class="fig" id="fig-notes"><h2>Répartition des notes</h2>{{ svg_notes|safe }}</div>
<div class="fig" id="fig-durees"><h2>Temps de correction par copie</h2>{{ svg_durations|safe }}</div>
<div class="fig" id="fig-echecs"><h2>Taux d'échec de chaque vérification</h2>{{ svg_failures|safe }}</div>
<h2>Copies à regarder : délai dépassé, plantage, altération du correcteur</h2>
{% if c.with_incident %}<table id="incidents"><tr><th>copie</th><th>incidents</th><th>note</th><th>message</th></tr>
{% for l in c.with_incident %}<tr><td>{% if l.retour %}<a href="{{ l.retour }}">{{ l.etudiant }}</a>{% else %}{{ l.etudiant }}{% endif %}</td>
<td class="alerte">{{ l.incidents|map('incident')|join(', ') }}</td><td class="n">{{ '%g' % l.score }}</td>
<td>{{ l.errors[0] if l.errors else '' }}</td></tr>
{% endfor %}</table>{% else %}<p id="incidents">Aucune.</p>{% endif %}
<h2>Toutes les copies</h2>
<table id="copies"><tr>{% for e in header %}<th>{{ e }}</th>{% endfor %}</tr>
{% for l in c.lignes %}<tr><td>{% if l.retour %}<a href="{{ l.retour }}">{{ l.etudiant }}</a>{% else %}{{ l.etudiant }}{% endif %}</td>
<td class="n">{{ '%g' % l.score }}</td><td class="n">{{ '%g' % l.max_score }}</td>
{% for t in d.taches %}<td class="n">{{ '%g' % l.taches[t.id] }}</td>{% endfor %}
<td class="n">{{ '%.2f' % l.duree if l.duree is not none else '' }}</td><td>{{ l.incidents|map('incident')|join(', ') }}</td>
<td>{{ 'oui' if l.to_grade else '' }}</td></tr>
{% endfor %}</table>
</body></html>
"""


def header(assignment: Assignment) -> list[str]:
    """The columns of the report's table and CSV."""
    return ["copie", "note", "note max", *[t.id for t in assignment.taches], "durée (s)", "incidents",
            "à corriger à la main"]


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    texte = buffer.getvalue()
    return texte[texte.index("<svg"):]


def charts(c: Class) -> tuple[str, str, str]:
    """Score histogram, duration histogram, failure rate per check: three inline SVG figures."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    plt.rcParams.update({"svg.fonttype": "none", "font.size": 9})
    fig, ax = plt.subplots(figsize=(5, 3))
    bounds = [x / 2 for x in range(0, int(c.max_score * 2) + 2)]
    ax.hist(c.scores, bins=bounds, color="#3b6ea8", edgecolor="white")
    ax.set_xlabel(f"note (sur {c.max_score:g})")
    ax.set_ylabel("copies")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    svg_notes = _svg(fig)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(5, 3))
    durations = [line.duree for line in c.lignes if line.duree is not None]
    ax.hist(durations, bins=min(20, max(1, len(durations))), color="#6a8f3b", edgecolor="white")
    ax.set_xlabel("secondes")
    ax.set_ylabel("copies")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    svg_durations = _svg(fig)
    plt.close(fig)

    name_set = [c.labels.get(k, k) for k in c.failed_checks]
    rate = [100 * e / n if n else 0.0 for e, n in c.failed_checks.values()]
    fig, ax = plt.subplots(figsize=(9, 0.3 * len(name_set) + 0.8))
    ax.barh(range(len(name_set)), rate, color="#b42318")
    ax.set_yticks(range(len(name_set)), [n if len(n) < 90 else n[:87] + "…" for n in name_set])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("copies en échec (%)")
    svg_failures = _svg(fig)
    plt.close(fig)
    return svg_notes, svg_durations, svg_failures


def write_csv(c: Class, path: Path) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header(c.assignment))
        for line in c.lignes:
            w.writerow([line.etudiant, f"{line.score:g}", f"{line.max_score:g}",
                        *[f"{line.taches[t.id]:g}" for t in c.assignment.taches],
                        "" if line.duree is None else f"{line.duree:.2f}", " ".join(line.incidents),
                        "oui" if line.to_grade else ""])
    return path


def write_html(c: Class, path: Path) -> Path:
    import statistics

    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters["incident"] = lambda code: INCIDENTS.get(code, code)
    svg_notes, svg_durations, svg_failures = charts(c)
    scores = c.scores
    path.write_text(env.from_string(TEMPLATE).render(
        d=c.assignment, c=c, header=header(c.assignment), svg_notes=svg_notes, svg_durations=svg_durations, svg_failures=svg_failures,
        moyenne=statistics.fmean(scores) if scores else 0.0, mediane=statistics.median(scores) if scores else 0.0,
        to_grade=sum(1 for line in c.lignes if line.to_grade)), encoding="utf-8")
    return path


def write_report(root: Path, assignment: Assignment, url: str = "") -> tuple[Path, Path]:
    """Write resultats/<id>/rapport.html and rapport.csv from the gradebook at ``url`` and the result files."""
    from .gradebook import nbgrader_light, url_gradebook

    nbgrader_light()
    from nbgrader.api import Gradebook

    folder = root / "resultats" / assignment.id
    folder.mkdir(parents=True, exist_ok=True)
    with Gradebook(url or url_gradebook(root)) as gb:
        klass = load_class(root, assignment, gb)
    return write_html(klass, folder / HTML_NAME), write_csv(klass, folder / CSV_NAME)
