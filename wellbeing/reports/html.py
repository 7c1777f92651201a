"""The accessible HTML version of every PDF report: the same data, rendered through a template instead of
reportlab, with the same charts as SVG and their figures in tables.

reportlab cannot tag a PDF, so a screen reader cannot follow its headings and tables; the HTML made
from the same ``ReportData`` or ``Overview`` by the same job is the equivalent a user can choose
(the accessibility statement says so). Call inside an app context with the report's locale forced,
like the PDF builders. The result is a fragment that the report pages place inside the site frame.
"""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape

from wellbeing.overview import charts
from wellbeing.reports.data import ElementRow, ReportData

# The PDF's grouped bar chart, as SVG: per element one bar per school year, each labelled with its year
# and value, so nothing rests on telling colours apart.
WIDTH, LABEL, BAR, GAP, FONT = 640, 230, 16, 14, 13
FILLS = ("#9cc3d4", "#4f8fab", "#00587a", "#003d55")


def school_report_html(data: ReportData) -> str:
    return render_template("reports/document.html", data=data, chart=team_score_svg(data.elements, data.years))


def overview_report_html(data) -> str:
    return render_template(
        "reports/overview_document.html", data=data,
        coverage=charts.coverage_chart(data.pillars, data.types, data.type_labels, data.pillars.title,
                                       uid="report-coverage"),
        score_charts={y.school_year: charts.score_chart(y, data.types, data.type_labels,
                                                        _("Element scores %(year)s", year=y.school_year),
                                                        uid=f"report-scores-{y.school_year}")
                      for y in data.scores if y.rows},
        trend=charts.trend_chart(data.trends, _("Median element score over the years, all school types"),
                                 uid="report-trend"))


def team_score_svg(elements: tuple[ElementRow, ...], years: tuple[str, ...]) -> Markup | None:
    """The team score per element and school year as horizontal bars (0–100); None when there is none."""
    if not any(s.team is not None for e in elements for s in e.scores) or not years:
        return None
    parts, y = [], 24
    scale = (WIDTH - LABEL - 60) / 100
    parts.append(f'<text x="{LABEL}" y="14" font-size="{FONT - 1}" fill="#4a4a4a">0</text>'
                 f'<text x="{LABEL + 100 * scale}" y="14" font-size="{FONT - 1}" fill="#4a4a4a" '
                 f'text-anchor="end">100</text>')
    for element in elements:
        scores = {s.school_year: s.team for s in element.scores}
        lines = _wrap(element.title, 30)
        top = y
        for index, line in enumerate(lines):
            parts.append(f'<text x="0" y="{top + FONT + index * (FONT + 3)}" font-size="{FONT}" '
                         f'font-weight="bold" fill="#1b1b1b">{escape(line)}</text>')
        for index, year in enumerate(years):
            value = scores.get(year)
            bar_y = top + index * (BAR + 4)
            label = f"{year}: {'–' if value is None else round(value)}"
            if value is not None:
                parts.append(f'<rect x="{LABEL}" y="{bar_y}" width="{max(1.0, value * scale):.1f}" height="{BAR}" '
                             f'fill="{FILLS[(len(years) - 1 - index) % len(FILLS)]}" stroke="#003d55" '
                             f'stroke-width="0.5"/>')
            end = LABEL + (value or 0) * scale + 6
            parts.append(f'<text x="{end:.1f}" y="{bar_y + BAR - 4}" font-size="{FONT - 1}" '
                         f'fill="#1b1b1b">{escape(label)}</text>')
        y = top + max(len(years) * (BAR + 4), len(lines) * (FONT + 3)) + GAP
    title = _("Team scores over the years")
    desc = _("Team score per element and school year (0–100).") + " " + _(
        "The same figures are in the table above.")
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {y}" width="100%" '
                  f'role="img" aria-labelledby="team-chart-title" aria-describedby="team-chart-desc" '
                  f'font-family="inherit"><title id="team-chart-title">{escape(title)}</title>'
                  f'<desc id="team-chart-desc">{escape(desc)}</desc>{"".join(parts)}</svg>')


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines
