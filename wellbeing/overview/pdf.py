"""The municipality or region overview as an A4 PDF, in the school report's look: cover with the privacy
note, participation, element scores per school year, the trend, pillars, prevention levels,
certificates and the most common priorities; a running header and "page n of m" on every page.

Call ``build_overview_report`` inside an app context with ``flask_babel.force_locale(...)``: fixed
labels are translated with ``gettext``; the data arrives translated and suppressed already. A hidden
cell has no value to print, only its reason, which the tables mark and a footnote explains.
"""
from __future__ import annotations

from io import BytesIO
from itertools import groupby

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from wellbeing.palette import DASHES, LINE_COLOURS
from wellbeing.overview.data import (
    ALL,
    NO_SCHOOLS,
    CountTable,
    Overview,
    Trend,
    TrendPoint,
    YearScores,
)
from wellbeing.reports.fonts import FONTS, register_fonts
from wellbeing.reports.pdf import PRODUCT, Furniture, ReportDocument
from wellbeing.reports.pdf_style import (
    ACCENT,
    ACCENT_DARK,
    ACCENT_LIGHT,
    BODY,
    CELL,
    CELL_BOLD,
    CELL_HEAD,
    CELL_HEAD_NUM,
    CELL_NUM,
    COVER_KICKER,
    COVER_SCHOOL,
    COVER_TITLE,
    FRAME_WIDTH,
    INK,
    LABEL,
    MUTED,
    RULE,
    SERIES_LIGHT,
    SMALL,
    VALUE,
    ZEBRA,
    base_table_style,
    data_table,
    esc,
    heading,
    para,
    score_text,
)

MARKERS = ("FilledCircle", "FilledSquare", "FilledTriangle", "FilledDiamond", "FilledPentagon", "FilledCross",
           "FilledStarSix")
HIDDEN_BG = colors.HexColor("#EEF2F3")
CELL_BOLD_NUM = ParagraphStyle("cell-bold-num", parent=CELL_NUM, fontName=FONTS.bold)


def build_overview_report(data: Overview) -> bytes:
    """Lay out ``data`` as a PDF and return its bytes. Fonts are embedded TrueType."""
    fonts = register_fonts()
    title = _("%(product)s: overview", product=PRODUCT)
    furniture = Furniture(
        school=data.area_name, fonts=(fonts.regular, fonts.bold),
        left_footer=_("%(title)s, %(date)s", title=title, date=format_date(data.generated_on, format="long")),
        page_label=lambda n, total: _("Page %(n)d of %(total)d", n=n, total=total))
    buffer = BytesIO()
    doc = ReportDocument(
        buffer, title=f"{title} – {data.area_name}", author=PRODUCT, creator=PRODUCT,
        subject=_("Anonymised overview of the wellbeing work of the schools in %(area)s", area=data.area_name),
        lang=str(get_locale() or "nl"), displayDocTitle=1, initialFontName=fonts.regular, initialFontSize=10)
    doc.build(_story(data), canvasmaker=furniture.canvas_class())
    return buffer.getvalue()


def _story(data: Overview) -> list[Flowable]:
    story = [*_cover(data), NextPageTemplate("body"), PageBreak()]
    # Intros and notes reuse the overview page's wording, so page and PDF say the same in both languages.
    story += _count_section(data, _("Participation"), data.participation, _(
        "Schools that finalised a checklist round in %(year)s, of all schools", year=data.school_year))
    story += [*_scores(data), *_trend(data)]
    story += _count_section(data, _("Pillars"), data.pillars, _("Schools doing at least one activity per pillar"))
    story += _count_section(data, _("Prevention levels"), data.prevention, _(
        "Schools using a recognised intervention, per prevention level"))
    story += _count_section(data, _("Certificates"), data.certificates, _(
        "Schools holding a valid vignet Welbevinden"))
    return story + _priorities(data)


def _cover(data: Overview) -> list[Flowable]:
    kind = _("Municipality") if data.kind == "municipality" else _("GGD region")
    schools = " · ".join(f"{data.type_labels.get(t, t)} {data.schools.get(t, 0)}" for t in (*data.types, ALL))
    facts = [(_("School year"), data.school_year), (_("Released on"), format_date(data.generated_on, format="long")),
             (_("Number of schools"), schools)]
    if data.next_release_on:
        facts.append((_("Next release"), format_date(data.next_release_on, format="long")))
    rows = [[para(label, LABEL), para(value, VALUE)] for label, value in facts]
    table = Table(rows, colWidths=[0.25 * FRAME_WIDTH, 0.75 * FRAME_WIDTH], hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONTS.regular), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 6),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 7), ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE)]))
    note = [para(_("An anonymised overview for %(year)s: figures over groups of schools, never a single school or "
                   "person. Every figure rests on at least %(n)d schools; some cells are protected.",
                   year=data.school_year, n=data.minimum), BODY),
            para(_("Protected cells are marked “protected”; the notes under the tables say why."), BODY)]
    box = Table([[note]], colWidths=[FRAME_WIDTH], hAlign="LEFT")
    box.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONTS.regular), ("BACKGROUND", (0, 0), (-1, -1),
                             ACCENT_LIGHT), ("LINEBEFORE", (0, 0), (0, -1), 3, ACCENT),
                             ("LEFTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 6)]))
    return [Spacer(0, 12 * mm), para(kind, COVER_KICKER), Spacer(0, 2 * mm),
            para(_("%(product)s: overview", product=PRODUCT), COVER_TITLE), para(data.area_name, COVER_SCHOOL), table,
            Spacer(0, 12 * mm), box, Spacer(0, 4 * mm),
            para(_("The figures come from the finalised rounds and plans of the schools in the area, summarised "
                   "per school type. Element scores run from 0 to 100."), SMALL)]


def _count_section(data: Overview, title: str, table: CountTable, intro: str) -> list[Flowable]:
    story: list[Flowable] = [*heading(title), para(intro)]
    if not table.rows:
        return story + [para(_("There is nothing to show yet."))]
    keys = (*data.types, ALL)
    header = [table.title, *(data.type_labels.get(k, k) for k in keys)]
    rows, hidden, reasons = [], [], set()
    for r, row in enumerate(table.rows, start=1):
        line: list[object] = [para(row.label, CELL)]
        for c, key in enumerate(keys, start=1):
            cell = row.cells.get(key)
            if cell is None or cell.share is None:
                reason = _reason(cell)
                reasons.add(reason)
                hidden.append((c, r))
                line.append(_hidden_cell(reason))
            else:
                line.append(Paragraph(f"<b>{round(cell.share)}%</b><br/>" + esc(
                    _("%(count)s of %(base)d", count=cell.figure, base=cell.base)), CELL_NUM))
        rows.append(line)
    rest = 0.72 / len(keys)
    result = data_table(header, rows, [0.28, *[rest] * len(keys)], numeric=tuple(range(1, len(keys) + 1)))
    result.setStyle(TableStyle([("BACKGROUND", cell, cell, HIDDEN_BG) for cell in hidden]))
    return story + [KeepTogether([result, *_footnotes(reasons, data.minimum)])]


def _hidden_cell(reason: str, style=CELL_NUM) -> Paragraph:
    if reason == NO_SCHOOLS:
        return Paragraph("–", style)
    return Paragraph(f'<font color="{_hex(MUTED)}"><i>{esc(_("protected"))}</i><super>1</super></font>', style)


def _footnotes(reasons: set[str], minimum: int) -> list[Flowable]:
    notes = []
    if reasons - {NO_SCHOOLS}:
        notes.append("<super>1</super> " + esc(_("Protected: alone or together with other figures of this or an "
                                                   "earlier release, it would say something about a single "
                                                   "school.")))
    if NO_SCHOOLS in reasons:
        notes.append("– " + esc(_("No schools of this type, or nothing to count.")))
    return [Spacer(0, 1.5 * mm), *(Paragraph(note, SMALL) for note in notes)]


def _scores(data: Overview) -> list[Flowable]:
    story: list[Flowable] = heading(_("Element scores"), room=80 * mm)
    if not data.scores:
        return story + [para(_("There is nothing to show yet."))]
    story += [para(_("Scores run from 0 to 100 and come from finalised rounds in which enough team members "
                     "answered. Per school type the middle half of the schools lies between the first and third "
                     "quartile.")),
              para(_("Q1, Q3: first and third quartile. The bar shows the box from Q1 to Q3 and the median as a "
                     "dark mark."))]
    # The marks are explained once, above the tables, so a note never lands apart from its table.
    keys = (*data.types, ALL)
    cells = [row.cells.get(key) for year in data.scores for row in year.rows for key in keys]
    story += _footnotes({_reason(c) for c in cells if c is None or c.hidden or c.median is None}, data.minimum)
    for year in reversed(data.scores):        # the current school year first
        story += [*heading(_("Distribution per school type, %(year)s", year=year.school_year), level=1, room=60 * mm),
                  _score_table(data, year)]
    return story


def _reason(cell) -> str:
    return cell.hidden if cell is not None and cell.hidden else NO_SCHOOLS


def _score_table(data: Overview, year: YearScores) -> Table:
    keys = (*data.types, ALL)
    widths = [0.25, 0.17, 0.07, 0.08, 0.09, 0.08, 0.26]
    head = [Paragraph(esc(h), CELL_HEAD_NUM if 2 <= i <= 5 else CELL_HEAD) for i, h in
            enumerate([_("Element"), _("School type"), "", "Q1", _("Median"), "Q3", "0–100"])]
    rows: list[list[object]] = [head]
    style = base_table_style(header_rows=1)
    for element in year.rows:
        first = len(rows)
        for key in keys:
            cell = element.cells.get(key)
            label = para(data.type_labels.get(key, key), CELL_BOLD if key == ALL else CELL)
            title = para(element.title, CELL) if key == keys[0] else ""
            if cell is None or cell.hidden or cell.median is None:
                rows.append([title, label, _hidden_cell(_reason(cell), CELL), "", "", "", ""])
                style += [("SPAN", (2, len(rows) - 1), (6, len(rows) - 1)),
                          ("BACKGROUND", (2, len(rows) - 1), (6, len(rows) - 1), HIDDEN_BG)]
                continue
            rows.append([title, label, "", para(score_text(cell.q1), CELL_NUM),
                         para(score_text(cell.median), CELL_NUM if key != ALL else CELL_BOLD_NUM),
                         para(score_text(cell.q3), CELL_NUM), _mini_box(cell.q1, cell.median, cell.q3,
                                                                         widths[6] * FRAME_WIDTH - 8)])
        style += [("SPAN", (0, first), (0, len(rows) - 1)), ("LINEABOVE", (0, first), (-1, first), 0.8, RULE),
                  ("BACKGROUND", (0, first), (0, len(rows) - 1), colors.white)]
    table = Table(rows, colWidths=[w * FRAME_WIDTH for w in widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(style + [("ROWBACKGROUNDS", (1, 1), (-1, -1), [colors.white, ZEBRA]),
                                       ("VALIGN", (6, 1), (6, -1), "MIDDLE")]))
    return table


def _mini_box(q1: float, median: float, q3: float, width: float) -> Drawing:
    """A one-line box plot on a 0–100 scale: a grey track, the box from Q1 to Q3, a dark median mark."""
    height = 3.6 * mm
    drawing = _drawing(width, height)
    scale = width / 100
    drawing.add(Line(0, height / 2, width, height / 2, strokeColor=RULE, strokeWidth=0.6))
    for tick in (0, 50, 100):
        drawing.add(Line(tick * scale, height / 2 - 1, tick * scale, height / 2 + 1, strokeColor=RULE, strokeWidth=0.6))
    drawing.add(Rect(q1 * scale, 0.5, max((q3 - q1) * scale, 1), height - 1, fillColor=SERIES_LIGHT,
                     strokeColor=ACCENT_DARK, strokeWidth=0.6))
    drawing.add(Rect(median * scale - 0.8, 0, 1.6, height, fillColor=INK, strokeColor=None))
    return drawing


def _trend(data: Overview) -> list[Flowable]:
    story: list[Flowable] = heading(_("Trend over the school years"), room=110 * mm)
    years = list(dict.fromkeys(p.school_year for trend in data.trends for p in trend.points))
    if not data.trends or not years:
        return story + [para(_("There is nothing to show yet."))]
    intro = [para(_("Median element score per school year, all school types")),
             para(_("A gap in a line: that school year's figure is hidden or missing."), SMALL)]
    legend_rows = [[_legend_sample(i), para(trend.title, CELL)] for i, trend in enumerate(data.trends)]
    legend = Table(legend_rows, colWidths=[14 * mm, FRAME_WIDTH - 14 * mm], hAlign="LEFT")
    legend.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONTS.regular), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
    rows = [[trend.title, *(score_text(p.median) for p in _by_year(trend.points, years))] for trend in data.trends]
    share = 0.6 / len(years)
    table = data_table([_("Element"), *years], rows, [0.4, *[share] * len(years)],
                       numeric=tuple(range(1, len(years) + 1)))
    note = para("– " + _("hidden or no figure in that school year"), SMALL)
    return story + [KeepTogether([*intro, _trend_drawing(data.trends, years), legend]), Spacer(0, 4 * mm), table,
                    Spacer(0, 1.5 * mm), note]


def _by_year(points: tuple[TrendPoint, ...], years: list[str]) -> list[TrendPoint]:
    by_year = {p.school_year: p for p in points}
    return [by_year.get(year) or TrendPoint(year, None) for year in years]


def _trend_drawing(trends: tuple[Trend, ...], years: list[str]) -> Drawing:
    """A line chart, one series per element. Each unbroken run of medians is its own data row padded with
    None (reportlab skips None but would join the points around it), so a hidden year leaves a gap."""
    drawing = _drawing(FRAME_WIDTH, 72 * mm)
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, FRAME_WIDTH - 18 * mm, 58 * mm
    data, styles = [], []
    for index, trend in enumerate(trends):
        values = [p.median for p in _by_year(trend.points, years)]
        for has_value, run in groupby(range(len(years)), key=lambda i: values[i] is not None):
            if has_value:
                positions = set(run)
                data.append([v if i in positions else None for i, v in enumerate(values)])
                styles.append(index)
    chart.data = data or [[None] * len(years)]
    for row, index in enumerate(styles):
        line = chart.lines[row]
        line.strokeColor, line.strokeDashArray = _line_style(index)
        line.strokeWidth, line.symbol = 1.6, _symbol(index)
    axis = chart.categoryAxis
    axis.categoryNames, axis.strokeColor = years, INK
    axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = FONTS.regular, 8, INK
    values = chart.valueAxis
    values.valueMin, values.valueMax, values.valueStep = 0, 100, 20
    values.labels.fontName, values.labels.fontSize, values.labels.fillColor = FONTS.regular, 7.5, MUTED
    values.strokeColor, values.visibleGrid, values.gridStrokeColor, values.gridStrokeWidth = RULE, 1, RULE, 0.4
    drawing.add(chart)
    return drawing


def _line_style(index: int) -> tuple[colors.Color, list[float] | None]:
    """The web chart's colour and dash for series ``index``, so page and PDF draw an element alike."""
    dash = [float(n) for n in DASHES[index % len(DASHES)].split()] or None
    return colors.HexColor(LINE_COLOURS[index % len(LINE_COLOURS)]), dash


def _symbol(index: int):
    symbol = makeMarker(MARKERS[index % len(MARKERS)], size=7, strokeColor=colors.white, strokeWidth=0.6)
    symbol.fillColor = _line_style(index)[0]
    return symbol


def _legend_sample(index: int) -> Drawing:
    drawing = _drawing(11 * mm, 4 * mm)
    colour, dash = _line_style(index)
    drawing.add(Line(0, 2 * mm, 11 * mm, 2 * mm, strokeColor=colour, strokeWidth=1.6, strokeDashArray=dash))
    symbol = _symbol(index)
    symbol.x, symbol.y = 5.5 * mm, 2 * mm
    drawing.add(symbol)
    return drawing


def _priorities(data: Overview) -> list[Flowable]:
    story: list[Flowable] = heading(_("Most common priorities"), room=50 * mm)
    if data.priorities_hidden == NO_SCHOOLS:
        return story + [para(_("There is nothing to show yet."))]
    if data.priorities_hidden:
        return story + [para(_("Protected: this area has fewer than %(n)d schools.", n=data.minimum))]
    if not data.priorities:
        return story + [para(_("No statement was given a high priority by %(n)d or more schools.", n=data.minimum))]
    story.append(para(_("Statements schools most often gave a high priority (this school year and last)")))
    rows = [[p.statement, p.element, str(p.schools)] for p in data.priorities]
    return story + [data_table([_("Statement"), _("Element"), _("Schools")], rows, [0.55, 0.33, 0.12],
                               numeric=(2,))]


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    drawing.initialFontName = FONTS.regular   # else the renderer selects Helvetica, which is not embedded
    return drawing


def _hex(colour) -> str:
    return "#" + colour.hexval()[2:]


