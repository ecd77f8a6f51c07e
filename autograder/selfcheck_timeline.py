"""A small picture of a race story: one lane per thread, as SVG for Jupyter and as text for a terminal."""
from __future__ import annotations

from html import escape

from .probes.hb import Access
from .probes.story import readable_name

TITLE = "Chronologie des deux threads (graine {seed}) :"
STEP = "{genre} {variable} {fleche} {valeur}"
QUOTE = "ligne {ligne} : {texte}"
COLOURS = {"lit": "#dbeafe", "écrit": "#fde68a"}


def step_text(a: Access) -> str:
    arrow = "->" if a.genre == "lit" else "="
    return STEP.format(genre=a.genre, variable=readable_name(a.variable), fleche=arrow, valeur=a.valeur)


def source_line(a: Access, sources: dict[str, str]) -> str:
    """The quoted line of the student's cell an access comes from ('' when unknown)."""
    lignes = sources.get(a.cell, "").splitlines()
    return lignes[a.line - 1].strip() if 0 < a.line <= len(lignes) else ""


def quoted_lines(story: list[Access], sources: dict[str, str]) -> list[str]:
    """``ligne n : <source>`` once per line of the story, in story order."""
    views: list[tuple[str, int]] = []
    output = []
    for a in story:
        if (a.cell, a.line) in views:
            continue
        views.append((a.cell, a.line))
        texte = source_line(a, sources)
        if texte:
            output.append(QUOTE.format(ligne=a.line, texte=texte))
    return output


class Timeline:
    """The story of a race as a two-lane timeline; Jupyter shows ``_repr_html_``, a terminal ``text``."""

    def __init__(self, story: list[Access], seed: int, sources: dict[str, str]) -> None:
        self.story = story
        self.seed = seed
        self.sources = sources
        self.lanes: list[str] = []
        for a in story:
            if a.task not in self.lanes:
                self.lanes.append(a.task)

    def cells(self) -> list[tuple[int, str]]:
        """(lane index, text) of every step, in the order they happened."""
        return [(self.lanes.index(a.task), f"ligne {a.line} : {step_text(a)}") for a in self.story]

    @property
    def text(self) -> str:
        cells = self.cells()
        width = max([len(t) for _, t in cells] + [len(x) for x in self.lanes] + [10])
        lignes = [TITLE.format(seed=self.seed),
                  ("  étape | " + " | ".join(x.ljust(width) for x in self.lanes)).rstrip()]
        for n, (lane, texte) in enumerate(cells, start=1):
            columns = [texte.ljust(width) if i == lane else " " * width for i in range(len(self.lanes))]
            lignes.append(f"  {n:>5} | " + " | ".join(columns).rstrip())
        lignes.extend("  " + q for q in quoted_lines(self.story, self.sources))
        return "\n".join(lignes)

    def __repr__(self) -> str:
        return self.text

    def svg(self) -> str:
        cells = self.cells()
        lane_w, row_h, left, top = 300, 30, 60, 34
        width = left + lane_w * len(self.lanes) + 10
        height = top + row_h * len(cells) + 10
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                 f'font-family="monospace" font-size="13">']
        for i, nom in enumerate(self.lanes):
            x = left + i * lane_w
            parts.append(f'<text x="{x + lane_w // 2}" y="20" text-anchor="middle" font-weight="bold">'
                         f'{escape(nom)}</text>')
            parts.append(f'<line x1="{x + lane_w // 2}" y1="{top - 6}" x2="{x + lane_w // 2}" '
                         f'y2="{height - 4}" stroke="#9ca3af" stroke-dasharray="4 3"/>')
        for n, ((lane, texte), a) in enumerate(zip(cells, self.story)):
            x, y = left + lane * lane_w + 6, top + n * row_h
            parts.append(f'<text x="8" y="{y + 19}" fill="#6b7280">{n + 1}</text>')
            parts.append(f'<rect x="{x}" y="{y}" width="{lane_w - 12}" height="{row_h - 6}" rx="4" '
                         f'fill="{COLOURS.get(a.genre, "#e5e7eb")}" stroke="#374151"/>')
            parts.append(f'<text x="{x + 8}" y="{y + 17}">{escape(texte)}</text>')
        parts.append("</svg>")
        return "".join(parts)

    def _repr_html_(self) -> str:
        quotes = "\n".join(quoted_lines(self.story, self.sources))
        return (f"<div><p>{escape(TITLE.format(seed=self.seed))}</p>{self.svg()}"
                f"<pre>{escape(quotes)}</pre></div>")
