"""Small multiples for the start picture: one small SVG per element, the municipality's median over
the school years beside its region's and the country's. Server-rendered, no JavaScript.

Each chart is an ``<svg role="img">`` whose title and description say what it shows and every value
in words; the page puts the same numbers in a table. The three lines differ by colour, dash and
marker, so colour carries nothing alone. A protected or missing median is a gap in the line, never
a point. Every text passes through ``escape``.
"""
from __future__ import annotations

from flask_babel import gettext as _
from markupsafe import Markup, escape

from wellbeing.overview.charts import DASHES, LINE_COLOURS

WIDTH, HEIGHT = 240, 150
LEFT, RIGHT, TOP, BOTTOM = 30, 20, 10, 24
SERIES = (("m", LINE_COLOURS[0], DASHES[0]), ("r", LINE_COLOURS[3], DASHES[1]), ("n", LINE_COLOURS[2], DASHES[2]))


def _marker(level: str, x: float, y: float, colour: str) -> str:
    if level == "m":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
    if level == "r":
        return f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="{colour}"/>'
    return f'<path d="M{x:.1f} {y - 4:.1f} L{x + 4:.1f} {y + 3:.1f} L{x - 4:.1f} {y + 3:.1f} Z" fill="{colour}"/>'


def element_chart(uid: str, title: str, years: tuple[str, ...], values: dict[str, list[int | None]],
                  names: dict[str, str], selected: str | None) -> Markup:
    """``values``: level ("m", "r", "n") -> one median (or None) per year in ``years``."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(years) - 1, 1)

    def x_of(i: int) -> float:
        return LEFT + (i * step if len(years) > 1 else inner_w / 2)

    def y_of(v: float) -> float:
        return TOP + inner_h * (1 - v / 100)

    words = []
    for level, _colour, _dash in SERIES:
        shown = [f"{year} {v}" if v is not None else f"{year} {_('no figure')}" for year, v in zip(years, values[level])]
        words.append(f"{names[level]}: " + ", ".join(shown))
    desc = _("Median score (0–100) per school year.") + " " + "; ".join(words)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-labelledby="{uid}-t" aria-describedby="{uid}-d" class="small-multiple">',
             f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>']
    if selected in years:
        i = years.index(selected)
        parts.append(f'<rect x="{x_of(i) - 9:.1f}" y="{TOP}" width="18" height="{inner_h}" fill="#e6f2ee"/>')
    for tick in (0, 50, 100):
        y = y_of(tick)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#c9d3d6"/>')
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end" fill="#4b5a5f">{tick}</text>')
    for i, year in enumerate(years):
        label = year[2:4] + "/" + year[-2:]
        parts.append(f'<text x="{x_of(i):.1f}" y="{HEIGHT - 8}" font-size="10" text-anchor="middle" '
                     f'fill="#4b5a5f">{escape(label)}</text>')
    for level, colour, dash in SERIES:
        points = [(x_of(i), y_of(v)) for i, v in enumerate(values[level]) if v is not None]
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(values[level]):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((x_of(i), y_of(v)))
        for run in runs:
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                dashes = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashes}/>')
        parts.extend(_marker(level, x, y, colour) for x, y in points)
    parts.append("</svg>")
    return Markup("".join(parts))


def legend(names: dict[str, str]) -> Markup:
    """The key to every small multiple, once above them (HTML, with a tiny SVG sample per line)."""
    items = []
    for level, colour, dash in SERIES:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        sample = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 28 10" width="28" height="10" aria-hidden="true">'
                  f'<line x1="0" y1="5" x2="28" y2="5" stroke="{colour}" stroke-width="2"{dashes}/>'
                  f'{_marker(level, 14, 5, colour)}</svg>')
        items.append(f"<li>{sample} {escape(names[level])}</li>")
    return Markup('<ul class="cycle-legend">' + "".join(items) + "</ul>")
