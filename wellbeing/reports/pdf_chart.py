"""The element-score chart: team score per element, one bar per school year, on a 0–100 axis.

Horizontal bars, so the long element titles sit readable on the left; the table above the chart
carries the same numbers for readers who cannot use the chart.
"""
from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.textlabels import NA_Label
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from wellbeing.reports.data import ElementRow
from wellbeing.reports.fonts import FONTS
from wellbeing.reports.pdf_style import ACCENT, FRAME_HEIGHT, FRAME_WIDTH, INK, MUTED, RULE, SERIES_DARK, SERIES_LIGHT

LABEL_WIDTH = 58 * mm
LEGEND_ITEM = 22 * mm                 # room for one "2025-2026" legend entry
LEGEND_ROW = 5 * mm


def team_score_series(elements: tuple[ElementRow, ...], years: tuple[str, ...]) -> list[list[float | None]]:
    """One list per school year (oldest first), one value per element; None where there is no score."""
    by_element = [{s.school_year: s.team for s in element.scores} for element in elements]
    return [[scores.get(year) for scores in by_element] for year in years]


def has_team_scores(elements: tuple[ElementRow, ...]) -> bool:
    return any(score.team is not None for element in elements for score in element.scores)


def team_score_chart(elements: tuple[ElementRow, ...], years: tuple[str, ...]) -> Drawing | None:
    """A grouped horizontal bar chart, or None when no element has a team score in any year."""
    if not elements or not years or not has_team_scores(elements):
        return None
    series = team_score_series(elements, years)
    per_row = max(1, int((FRAME_WIDTH - LABEL_WIDTH) // LEGEND_ITEM))
    legend_rows = -(-len(years) // per_row)
    legend_height = legend_rows * LEGEND_ROW + 4 * mm
    bar = 3.6 * mm if len(years) <= 3 else max(1.8 * mm, 11 * mm / len(years))
    spacing = 4 * mm
    room = 0.8 * FRAME_HEIGHT - legend_height - 10 * mm     # the chart must fit on one page
    scale = min(1.0, room / ((bar * len(years) + spacing) * len(elements)))
    bar, spacing = bar * scale, spacing * scale
    plot_height = (bar * len(years) + spacing) * len(elements)
    height = plot_height + legend_height + 10 * mm

    drawing = _drawing(FRAME_WIDTH, height)
    chart = HorizontalBarChart()
    chart.x = LABEL_WIDTH
    chart.y = legend_height + 6 * mm
    chart.width = FRAME_WIDTH - LABEL_WIDTH - 8 * mm
    chart.height = plot_height
    # Series 0 is drawn at the bottom of each group; reversed, the oldest year sits on top.
    chart.data = series[::-1]
    chart.barWidth = bar
    chart.groupSpacing = spacing
    chart.barSpacing = 0.3 * mm
    chart.strokeColor = None
    palette = series_colours(len(years))
    for i, colour in enumerate(palette[::-1]):
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None

    axis = chart.categoryAxis
    axis.categoryNames = [element.title for element in elements]
    axis.reverseDirection = 1          # first element at the top, like the table
    axis.strokeColor = RULE
    axis.labels.fontName = FONTS.regular
    axis.labels.fontSize = 7.5
    axis.labels.leading = 9
    axis.labels.fillColor = INK
    axis.labels.boxAnchor = "e"
    axis.labels.textAnchor = "end"
    axis.labels.dx = -4
    axis.labels.maxWidth = LABEL_WIDTH - 8 * mm
    axis.visibleTicks = 0

    values = chart.valueAxis
    values.valueMin, values.valueMax, values.valueStep = 0, 100, 20
    values.labels.fontName = FONTS.regular
    values.labels.fontSize = 7
    values.labels.fillColor = MUTED
    values.labelTextFormat = "%d"
    values.strokeColor = RULE
    values.visibleGrid = 1
    values.gridStrokeColor = RULE
    values.gridStrokeWidth = 0.4
    values.gridStart, values.gridEnd = chart.y, chart.y + chart.height

    chart.barLabelFormat = "%d" if bar >= 2.2 * mm else None   # values on thin bars would overlap
    chart.barLabels.fontName = FONTS.regular
    chart.barLabels.fontSize = 6
    chart.barLabels.fillColor = INK
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 2
    chart.naLabel = NA_Label()
    chart.naLabel.text = "–"
    chart.naLabel.fontName = FONTS.regular
    chart.naLabel.fontSize = 6.5
    chart.naLabel.fillColor = MUTED
    chart.naLabel.boxAnchor = "w"
    chart.naLabel.dx = 2
    drawing.add(chart)
    drawing.add(_legend(years, palette, chart.x, legend_height, legend_rows))
    return drawing


def series_colours(count: int) -> list[colors.Color]:
    """``count`` shades of the accent, light for the oldest year to dark for the newest."""
    if count == 1:
        return [ACCENT]
    return [colors.linearlyInterpolatedColor(SERIES_LIGHT, SERIES_DARK, 0, count - 1, i) for i in range(count)]


def _legend(years: tuple[str, ...], palette: list[colors.Color], x: float, top: float, rows: int) -> Legend:
    legend = Legend()
    legend.x, legend.y = x, top - 2 * mm
    legend.boxAnchor = "nw"
    legend.alignment = "right"
    legend.columnMaximum = rows         # items fill columns top to bottom: the years side by side
    legend.deltax = LEGEND_ITEM
    legend.deltay = LEGEND_ROW
    legend.autoXPadding = 0
    legend.dxTextSpace = 3
    legend.dx = legend.dy = 7
    legend.fontName = FONTS.regular
    legend.fontSize = 8
    legend.fillColor = INK
    legend.strokeColor = None
    legend.colorNamePairs = list(zip(palette, years, strict=True))
    return legend


def phase_steps(current: int, width: float = 70 * mm) -> Drawing:
    """Six numbered boxes, the steps of the Gezonde School approach; done and current ones filled."""
    gap, height = 1.5 * mm, 6 * mm
    box = (width - 5 * gap) / 6
    drawing = _drawing(width, height)
    for step in range(1, 7):
        x = (step - 1) * (box + gap)
        done = step <= current
        drawing.add(Rect(x, 0, box, height, rx=1.2, ry=1.2, strokeWidth=0.8,
                         fillColor=ACCENT if done else colors.white,
                         strokeColor=SERIES_DARK if step == current else (ACCENT if done else RULE)))
        drawing.add(String(x + box / 2, 1.8 * mm, str(step), textAnchor="middle", fontName=FONTS.bold,
                           fontSize=7.5, fillColor=colors.white if done else MUTED))
    return drawing


def progress_bar(met: int, total: int, width: float = 70 * mm) -> Drawing:
    """A thin bar showing ``met`` of ``total`` as a filled share."""
    height = 3 * mm
    drawing = _drawing(width, height)
    drawing.add(Rect(0, 0, width, height, rx=1.5, ry=1.5, fillColor=colors.HexColor("#E8EEEF"), strokeColor=None))
    if total > 0 and met > 0:
        drawing.add(Rect(0, 0, width * min(met, total) / total, height, rx=1.5, ry=1.5,
                         fillColor=ACCENT, strokeColor=None))
    return drawing


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    drawing.initialFontName = FONTS.regular   # else the renderer selects Helvetica, which is not embedded
    return drawing
