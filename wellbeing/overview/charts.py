"""The overview's charts as server-rendered SVG: no JavaScript, no chart library.

Each chart is one ``<svg role="img">`` with a ``<title>`` and a ``<desc>``; the page puts a table with
the same figures next to it, which is the accessible version of the numbers. A hidden cell is drawn
as a fixed-size hatched placeholder marked "hidden", never as a bar, box or point: the input has no
value for it, and no geometry may suggest one. The SVG scales through its viewBox and takes its font
from the page. Every text passes through ``escape``: labels and titles come from data.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

from flask_babel import gettext as _
from markupsafe import Markup, escape

from wellbeing.overview.data import ALL, NO_SCHOOLS, CountCell, CountTable, Distribution, Trend, YearScores
from wellbeing.palette import (
    ACCENT_DARK,
    ACCENT_LIGHT,
    DASHES,
    INK,
    LINE_COLOURS,
    MUTED,
    RULE,
    SERIES_DARK,
    SERIES_LIGHT,
    SHADES,
)

WIDTH = 420                    # viewBox units; drawn as wide as its container, up to 35rem
PAD = 8
FONT = 13                      # label size in viewBox units
SMALL = 11.5
CHAR = 0.6                     # average glyph width per font size unit, on the generous side
BAR = 16
BAR_GAP = 5
VALUE_ROOM = 46                # right of the track: "100%" or a median
PLACEHOLDER = 34               # every hidden cell's hatch has this width, whatever was hidden
# Bars: one teal shade per school type (``SHADES``), darkest for all types together; each bar is outlined
# in the dark accent (at least 3:1 against white) and labelled with its type, so colour carries nothing alone.
ALL_SHADE = SERIES_DARK
OUTLINE = ACCENT_DARK
# Trend lines: ``LINE_COLOURS`` (all at least 3:1 on white), each also with its own marker and dash.
MARKERS = ("circle", "square", "triangle", "diamond", "down", "cross", "plus")


def coverage_chart(table: CountTable, types: Sequence[str], type_labels: dict[str, str], title: str,
                   *, uid: str | None = None) -> Markup:
    """Horizontal bars of each cell's share (0–100 %), per row, one bar per school type and one for all.

    ``uid`` makes the element ids unique on a page; by default it is derived from the content.
    """
    series = [*types, ALL]
    svg = _Svg(uid or _uid("coverage", title, table), title, _(
        "Bar chart: the share of schools per row, one bar per school type and one for all schools. Hidden "
        "figures are marked “hidden”. The same figures are in the table below."))
    svg.legend([("swatch", _colour(series, key), type_labels.get(key, key)) for key in series] +
               [("hatch", "", _("hidden"))])
    track = _Track(svg, [type_labels.get(key, key) for key in series], unit="%")
    for index, row in enumerate(table.rows):
        svg.wrapped(row.label, PAD, WIDTH - 2 * PAD, FONT, bold=True)
        for key in series:
            cell = row.cells.get(key)
            label = type_labels.get(key, key)
            svg.add(_open_cell(index, key))
            top = track.row_label(label)
            share = cell.share if cell else None
            if share is None:
                track.placeholder(top, cell)
            else:
                tip = _("%(type)s: %(count)s of %(base)d schools", type=label, count=cell.figure, base=cell.base)
                track.bar(top, share, _colour(series, key), tip, f"{round(share)}%")
            svg.add("</g>")
        svg.y += BAR_GAP
    if not table.rows:
        svg.text(PAD, svg.y + FONT, _("There is nothing to show yet."), fill=MUTED)
        svg.y += FONT + PAD
    track.finish()
    return svg.render()


def score_chart(year: YearScores, types: Sequence[str], type_labels: dict[str, str], title: str,
                *, uid: str | None = None) -> Markup:
    """Per element and school type, a box from the first to the third quartile with the median marked."""
    series = [*types, ALL]
    svg = _Svg(uid or _uid("scores", title, year), title, _(
        "Box chart of element scores from 0 to 100, per element and school type: each box runs from the "
        "first to the third quartile, the thick mark is the median. Hidden figures are marked “hidden”. "
        "The same figures are in the table below."))
    svg.legend([("box", ACCENT_LIGHT, _("middle half of the schools (quartile 1 to 3)")),
                ("median", INK, _("median")), ("hatch", "", _("hidden"))])
    svg.text(WIDTH - PAD, svg.y + SMALL, _("median"), size=SMALL, anchor="end", fill=MUTED)   # heads the values
    svg.y += SMALL + 2
    track = _Track(svg, [type_labels.get(key, key) for key in series], unit="")
    for index, row in enumerate(year.rows):
        svg.wrapped(row.title, PAD, WIDTH - 2 * PAD, FONT, bold=True)
        for key in series:
            cell = row.cells.get(key)
            label = type_labels.get(key, key)
            svg.add(_open_cell(index, key))
            top = track.row_label(label)
            if cell is None or cell.hidden or cell.median is None or cell.q1 is None or cell.q3 is None:
                track.placeholder(top, cell)
            else:
                tip = _("%(type)s: median %(median)s, quartiles %(q1)s to %(q3)s", type=label,
                        median=_num(cell.median), q1=_num(cell.q1), q3=_num(cell.q3))
                track.box(top, cell, ALL_SHADE if key == ALL else OUTLINE, tip)
            svg.add("</g>")
        svg.y += BAR_GAP
    if not year.rows:
        svg.text(PAD, svg.y + FONT, _("There is nothing to show yet."), fill=MUTED)
        svg.y += FONT + PAD
    track.finish()
    return svg.render()


def trend_chart(trends: Sequence[Trend], title: str, *, uid: str | None = None) -> Markup:
    """The median per school year per element as lines with markers, broken where a year has no median."""
    svg = _Svg(uid or _uid("trend", title, trends), title, _(
        "Line chart of the median score per element (0 to 100) over the school years. A line is broken "
        "where a year's figure is hidden or missing. The same figures are in the table below."))
    years = list(dict.fromkeys(point.school_year for trend in trends for point in trend.points))
    left, right, top, height = PAD + 30, WIDTH - PAD - 14, PAD + 26, 200
    bottom = top + height
    step = (right - left - 40) / (len(years) - 1) if len(years) > 1 else 0
    xs = {year: (left + 20 + i * step) if len(years) > 1 else (left + right) / 2 for i, year in enumerate(years)}

    def y_of(value: float) -> float:
        return bottom - height * max(0.0, min(100.0, value)) / 100

    svg.text(PAD, PAD + SMALL, _("Median score (0–100)"), size=SMALL, fill=MUTED)
    for tick in range(0, 101, 20):
        y = y_of(tick)
        svg.add(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="{INK if tick == 0 else RULE}" '
                f'stroke-width="{1 if tick == 0 else 0.8}"/>')
        svg.text(left - 6, y + 4, str(tick), size=SMALL, anchor="end", fill=MUTED)
    for year, x in xs.items():
        svg.text(x, bottom + 17, year, size=SMALL, anchor="middle", fill=INK)
    svg.y = bottom + 30
    if not years:
        svg.text((left + right) / 2, top + height / 2, _("There is nothing to show yet."), anchor="middle",
                 fill=MUTED)
    for index, trend in enumerate(trends):
        colour, dash = LINE_COLOURS[index % len(LINE_COLOURS)], DASHES[index % len(DASHES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _runs(trend.points):
            if len(run) > 1:
                path = " ".join(f"{'M' if i == 0 else 'L'}{xs[p.school_year]:.1f} {y_of(p.median):.1f}"
                                for i, p in enumerate(run))
                svg.add(f'<path class="trend-line" data-series="{index}" d="{path}" fill="none" stroke="{colour}" '
                        f'stroke-width="2.5" stroke-linejoin="round"{dash_attr}/>')
        for point in trend.points:
            if point.median is None:
                continue
            tip = _("%(element)s, %(year)s: median %(median)s", element=trend.title, year=point.school_year,
                    median=_num(point.median))
            svg.add(f'<g class="trend-point" data-series="{index}" data-year="{_e(point.school_year)}">'
                    f'<title>{_e(tip)}</title>'
                    f'{_marker(MARKERS[index % len(MARKERS)], xs[point.school_year], y_of(point.median), colour)}</g>')
    for index, trend in enumerate(trends):
        colour, dash = LINE_COLOURS[index % len(LINE_COLOURS)], DASHES[index % len(DASHES)]
        y = svg.y + FONT / 2
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        svg.add(f'<line x1="{PAD}" y1="{y:.1f}" x2="{PAD + 34}" y2="{y:.1f}" stroke="{colour}" stroke-width="2.5"'
                f'{dash_attr}/>{_marker(MARKERS[index % len(MARKERS)], PAD + 17, y, colour)}')
        svg.wrapped(trend.title, PAD + 44, WIDTH - 2 * PAD - 44, FONT)
        svg.y += 3
    if trends:
        svg.wrapped(_("A gap in a line: that school year's figure is hidden or missing."), PAD, WIDTH - 2 * PAD,
                    SMALL, fill=MUTED)
    svg.y += PAD
    return svg.render()


class _Svg:
    """An SVG under construction, laid out top to bottom: ``y`` is where the next thing goes."""

    def __init__(self, uid: str, title: str, desc: str):
        self.uid, self.title, self.desc = _e(uid), title, desc
        self.parts: list[str] = []
        self.y = float(PAD)

    def add(self, fragment: str) -> None:
        self.parts.append(fragment)

    def text(self, x: float, y: float, text: str, size: float = FONT, anchor: str = "start",
             fill: str = INK, bold: bool = False, italic: bool = False) -> None:
        # Bold text is a row title, which crosses the gridlines: a white halo keeps it readable.
        weight = ' font-weight="bold" stroke="white" stroke-width="3" paint-order="stroke"' if bold else ""
        style = ' font-style="italic"' if italic else ""
        self.add(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" text-anchor="{anchor}"'
                 f'{weight}{style}>{_e(text)}</text>')

    def wrapped(self, text: str, x: float, width: float, size: float, **kw) -> None:
        """``text`` wrapped to ``width``, starting at ``y``; moves ``y`` below it."""
        for line in _wrap(text, width, size):
            self.y += size * 1.25
            self.text(x, self.y - size * 0.25, line, size=size, **kw)
        self.y += 4

    def legend(self, items: list[tuple[str, str, str]]) -> None:
        """Swatches with labels, flowing into as many lines as they need."""
        x, line_height = PAD, FONT * 1.6
        for kind, colour, label in items:
            width = 22 + _width(label, SMALL) + 14
            if x > PAD and x + width > WIDTH - PAD:
                x, self.y = PAD, self.y + line_height
            mid = self.y + line_height / 2
            if kind in ("swatch", "box"):
                self.add(f'<rect x="{x}" y="{mid - 6:.1f}" width="16" height="12" fill="{colour}" '
                         f'stroke="{OUTLINE}"/>')
            elif kind == "median":
                self.add(f'<rect x="{x + 6.5}" y="{mid - 8:.1f}" width="3" height="16" fill="{colour}"/>')
            else:
                self.add(f'<rect x="{x}" y="{mid - 6:.1f}" width="16" height="12" fill="url(#{self.uid}-hatch)" '
                         f'stroke="{MUTED}"/>')
            self.text(x + 22, mid + 4, label, size=SMALL)
            x += width
        self.y += line_height + 6

    def render(self) -> Markup:
        height = round(self.y + PAD)
        hatch = (f'<defs><pattern id="{self.uid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
                 f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#EEF2F3"/>'
                 f'<line x1="0" y1="0" x2="0" y2="6" stroke="{MUTED}" stroke-width="1.6"/></pattern></defs>')
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
                f'width="100%" role="img" aria-labelledby="{self.uid}-title" aria-describedby="{self.uid}-desc" '
                f'font-family="inherit">'
                f'<title id="{self.uid}-title">{_e(self.title)}</title>'
                f'<desc id="{self.uid}-desc">{_e(self.desc)}</desc>{hatch}')
        return Markup(head + "".join(self.parts) + "</svg>")


class _Track:
    """The shared geometry of the bar and box charts: series labels on the left, a 0–100 track, values
    on the right, a scale with gridlines drawn once the height is known."""

    def __init__(self, svg: _Svg, labels: Iterable[str], unit: str):
        self.svg, self.unit = svg, unit
        widest = max((_width(label, SMALL) for label in labels), default=40)
        self.label_width = min(widest, 0.36 * WIDTH)
        self.x0 = PAD + self.label_width + 8
        self.x1 = WIDTH - PAD - VALUE_ROOM
        self._scale(above=True)
        self.start = svg.y

    def _scale(self, above: bool) -> None:
        y = self.svg.y + SMALL
        for tick in range(0, 101, 20):
            self.svg.text(self.x(tick), y, f"{tick}{self.unit}", size=SMALL, anchor="middle", fill=MUTED)
        self.svg.y += SMALL + 6 if above else 0

    def x(self, value: float) -> float:
        return self.x0 + (self.x1 - self.x0) * max(0.0, min(100.0, value)) / 100

    def row_label(self, label: str) -> float:
        """Writes a series label; returns the top of its bar and moves ``y`` below the row."""
        lines = _wrap(label, self.label_width, SMALL)
        height = max(BAR, len(lines) * SMALL * 1.2)
        top = self.svg.y + (height - BAR) / 2
        first = top + BAR / 2 + SMALL * 0.35 - (len(lines) - 1) * SMALL * 0.6
        for i, line in enumerate(lines):
            self.svg.text(self.x0 - 6, first + i * SMALL * 1.2, line, size=SMALL, anchor="end")
        self.svg.y += height + BAR_GAP
        return top

    def bar(self, top: float, share: float, fill: str, tip: str, value: str) -> None:
        width = max(self.x(share) - self.x0, 0.0)
        self.svg.add(f'<rect class="bar" x="{self.x0:.1f}" y="{top:.1f}" width="{width:.1f}" height="{BAR}" '
                     f'fill="{fill}" stroke="{OUTLINE}" stroke-width="1"><title>{_e(tip)}</title></rect>')
        self.svg.text(self.x0 + width + 5, top + BAR / 2 + SMALL * 0.35, value, size=SMALL, bold=True)

    def box(self, top: float, cell: Distribution, stroke: str, tip: str) -> None:
        left, right = self.x(cell.q1), max(self.x(cell.q3), self.x(cell.q1) + 2)
        median = self.x(cell.median)
        fill = SERIES_LIGHT if stroke == ALL_SHADE else ACCENT_LIGHT
        self.svg.add(f'<g class="box"><title>{_e(tip)}</title>'
                     f'<rect x="{left:.1f}" y="{top + 2:.1f}" width="{right - left:.1f}" height="{BAR - 4}" '
                     f'fill="{fill}" stroke="{stroke}" stroke-width="1.2"/>'
                     f'<rect class="median" x="{median - 1.5:.1f}" y="{top - 1:.1f}" width="3" height="{BAR + 2}" '
                     f'fill="{INK}"/></g>')
        self.svg.text(self.x1 + 6, top + BAR / 2 + SMALL * 0.35, _num(cell.median), size=SMALL, bold=True)

    def placeholder(self, top: float, cell: CountCell | Distribution | None) -> None:
        """A hidden or empty cell: the same small mark for every hidden cell, and a word, never a length."""
        hidden = cell is not None and cell.hidden not in (None, NO_SCHOOLS)
        text = _("hidden") if hidden else _("no schools")
        if hidden:
            self.svg.add(f'<rect class="hidden-cell" x="{self.x0:.1f}" y="{top:.1f}" width="{PLACEHOLDER}" '
                         f'height="{BAR}" fill="url(#{self.svg.uid}-hatch)" stroke="{MUTED}"/>')
            self.svg.text(self.x0 + PLACEHOLDER + 6, top + BAR / 2 + SMALL * 0.35, text, size=SMALL, fill=MUTED,
                          italic=True)
        else:
            self.svg.text(self.x0 + 2, top + BAR / 2 + SMALL * 0.35, text, size=SMALL, fill=MUTED, italic=True)

    def finish(self) -> None:
        """Gridlines behind everything drawn since the top scale, then the scale again at the bottom."""
        top, bottom = self.start - 2, self.svg.y - BAR_GAP
        grid = [f'<line x1="{self.x(t):.1f}" y1="{top:.1f}" x2="{self.x(t):.1f}" y2="{bottom:.1f}" '
                f'stroke="{INK if t == 0 else RULE}" stroke-width="{1 if t == 0 else 0.8}"/>'
                for t in range(0, 101, 20)]
        self.svg.parts[0:0] = grid
        self.svg.y = bottom + 2
        self._scale(above=False)
        self.svg.y += SMALL


def _open_cell(row: int, key: str) -> str:
    """Each cell's drawing sits in its own group, so a reader (or a test) can tell cells apart."""
    return f'<g class="cell" data-row="{row}" data-type="{_e(key)}">'


def _colour(series: list[str], key: str) -> str:
    """Shades spread over the palette, light to dark in school type order; the darkest for all types."""
    if key == ALL:
        return ALL_SHADE
    types = [k for k in series if k != ALL]
    index = types.index(key)
    if len(types) == 1:
        return SHADES[-1]
    if len(types) <= len(SHADES):
        return SHADES[round(index * (len(SHADES) - 1) / (len(types) - 1))]
    return SHADES[index % len(SHADES)]


def _runs(points) -> list[list]:
    """Consecutive points that have a median; a None ends a run, so no line crosses a hidden year."""
    runs: list[list] = [[]]
    for point in points:
        if point.median is None:
            runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    r = 4.5
    common = f'fill="{colour}" stroke="white" stroke-width="1.2"'
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r}" {common}/>'
    if kind == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r}" height="{2 * r}" {common}/>'
    shapes = {"triangle": ((0, -1.25), (1.15, 0.9), (-1.15, 0.9)), "down": ((0, 1.25), (1.15, -0.9), (-1.15, -0.9)),
              "diamond": ((0, -1.35), (1.35, 0), (0, 1.35), (-1.35, 0)),
              "cross": ((-1, -1.4), (0, -0.4), (1, -1.4), (1.4, -1), (0.4, 0), (1.4, 1), (1, 1.4), (0, 0.4),
                        (-1, 1.4), (-1.4, 1), (-0.4, 0), (-1.4, -1)),
              "plus": ((-0.35, -1.3), (0.35, -1.3), (0.35, -0.35), (1.3, -0.35), (1.3, 0.35), (0.35, 0.35),
                       (0.35, 1.3), (-0.35, 1.3), (-0.35, 0.35), (-1.3, 0.35), (-1.3, -0.35), (-0.35, -0.35))}
    points = " ".join(f"{x + dx * r:.1f},{y + dy * r:.1f}" for dx, dy in shapes[kind])
    return f'<polygon points="{points}" {common}/>'


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy word wrap by estimated glyph width; a word longer than a line stays whole."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and _width(f"{lines[-1]} {word}", size) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _width(text: str, size: float) -> float:
    return len(str(text)) * size * CHAR


def _num(value: float | None) -> str:
    return "–" if value is None else str(round(value))


def _e(text: object) -> str:
    return str(escape(str(text)))


def _uid(kind: str, title: str, data: object) -> str:
    return f"ov-{kind}-" + hashlib.sha1(f"{title}\n{data!r}".encode()).hexdigest()[:10]
