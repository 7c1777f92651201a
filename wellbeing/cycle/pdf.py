"""The municipal cycle as an A4 PDF for the council or LEA meeting, in the reports' look: cover, the
start picture in words and figures, top situations and problems, the Preventiematrix, targets,
agreements, and each target against the released figures per year with its evaluation notes.

Call ``build_cycle_report`` inside an app context with ``flask_babel.force_locale(...)``.
"""
from __future__ import annotations

from datetime import date
from io import BytesIO

from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from reportlab.platypus import NextPageTemplate, PageBreak, Spacer, Table, TableStyle

from wellbeing.cycle.catalogue import FORUMS, STATUSES, level_label, sector_label
from wellbeing.cycle.data import Cycle, summary
from wellbeing.cycle.monitor import ABOUT, MET, NOT_YET, PROTECTED
from wellbeing.cycle.service import choice_label
from wellbeing.reports.fonts import FONTS, register_fonts
from wellbeing.reports.pdf import PRODUCT, Furniture, ReportDocument
from wellbeing.reports.pdf_style import (
    BODY,
    CELL,
    Cell,
    COVER_KICKER,
    COVER_SCHOOL,
    COVER_TITLE,
    FRAME_WIDTH,
    LABEL,
    SMALL,
    VALUE,
    data_table,
    esc,
    heading,
    para,
)
from wellbeing.release.tables import ALL


def state_label(state: str) -> str:
    return {MET: _("met"), NOT_YET: _("not yet"), ABOUT: _("about there"), PROTECTED: _("protected")}.get(
        state, _("no figure"))


def build_cycle_report(cycle: Cycle, today: date | None = None) -> bytes:
    fonts = register_fonts()
    today = today or date.today()
    title = _("Municipal cycle")
    name = cycle.municipality.name
    furniture = Furniture(
        school=name, fonts=(fonts.regular, fonts.bold),
        left_footer=_("%(title)s, %(date)s", title=title, date=format_date(today, format="long")),
        page_label=lambda n, total: _("Page %(n)d of %(total)d", n=n, total=total))
    buffer = BytesIO()
    doc = ReportDocument(
        buffer, title=f"{title} – {name}", author=PRODUCT, creator=PRODUCT,
        subject=_("Start picture, Preventiematrix, agreements and monitoring of %(name)s", name=name),
        lang=str(get_locale() or "nl"), displayDocTitle=1, initialFontName=fonts.regular, initialFontSize=10)
    doc.build(_story(cycle, today), canvasmaker=furniture.canvas_class())
    return buffer.getvalue()


def _story(cycle: Cycle, today: date) -> list:
    story = [*_cover(cycle, today), NextPageTemplate("body"), PageBreak()]
    story += _start(cycle)
    story += _matrix(cycle)
    story += _agreements(cycle)
    story += _monitoring(cycle)
    return story


def _cover(cycle: Cycle, today: date) -> list:
    figures = cycle.figures
    if cycle.is_group:
        facts = [(_("Group of municipalities"), cycle.municipality.name),
                 (_("Members"), ", ".join(m.name for m in cycle.municipality.members))]
    else:
        facts = [(_("Municipality"), f"{cycle.municipality.name} ({cycle.municipality.code})")]
    facts += [(_("GGD region"), cycle.names["r"]), (_("Made on"), format_date(today, format="long"))]
    if figures is not None:
        facts.append((_("Figures released on"), format_date(figures.released_at, format="long")))
    rows = [[para(label, LABEL), para(value, VALUE)] for label, value in facts]
    table = Table(rows, colWidths=[0.3 * FRAME_WIDTH, 0.7 * FRAME_WIDTH], hAlign="LEFT")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONTS.regular), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [Spacer(1, 12), para(_("Municipal cycle"), COVER_KICKER),
            para(_("Wellbeing at school: from start picture to monitoring"), COVER_TITLE),
            para(cycle.municipality.name, COVER_SCHOOL), table, Spacer(1, 14),
            para(_("Every figure in this document is a released figure over groups of schools: no school and no "
                   "person can be recognised in it. Protected figures are not shown."), SMALL),
            *([para(_("A group's figures are its members' released figures; a group total is the sum of the "
                      "members' released counts where every member's count is published. Medians are not "
                      "merged."), SMALL)] if cycle.is_group else [])]


def _start(cycle: Cycle) -> list:
    story = heading(_("1. Start picture"))
    figures = cycle.figures
    if figures is None:
        return story + [para(_("No figures have been released yet."))]
    story += [para("• " + s) for s in summary(cycle, figures.current)]
    if cycle.is_group:
        return story + _group_start(cycle)
    rows = []
    for element, title in cycle.elements.items():
        found = [figures.areas[level].median(figures.current, element) for level in "mrn"]
        if all(f is None or f.hidden for f in found):
            continue      # an element no area shows (mbo's equal opportunities where mbo cells are protected)
        rows.append([title, *("–" if f is None else (_("protected") if f.hidden else str(f.median)) for f in found)])
    story += heading(_("Median element score %(year)s", year=figures.current), 1)
    story.append(data_table([_("Element"), *(cycle.names[lv] for lv in "mrn")], rows, [0.46, 0.18, 0.18, 0.18],
                            numeric=(1, 2, 3)))
    n_rows = []
    for year in figures.years:
        cells = []
        for level in "mrn":
            count = figures.areas[level].count(year, "scored", ALL)
            cells.append("–" if count is None else (_("protected") if count.hidden else count.figure))
        n_rows.append([year, *cells])
    story += heading(_("Schools with element scores per school year"), 1)
    story.append(data_table([_("School year"), *(cycle.names[lv] for lv in "mrn")], n_rows,
                            [0.46, 0.18, 0.18, 0.18], numeric=(1, 2, 3)))
    return story


def _group_start(cycle: Cycle) -> list:
    """A group's start picture: element medians per member beside the region and the country (no
    merged median), and the schools behind the scores per year with the group's sum."""
    figures = cycle.figures
    assert figures is not None
    areas = [*figures.members, figures.areas["r"], figures.areas["n"]]
    width = 0.7 / len(areas)
    rows = []
    for element, title in cycle.elements.items():
        found = [area.median(figures.current, element) for area in areas]
        if all(f is None or f.hidden for f in found):
            continue
        rows.append([title, *("–" if f is None else (_("protected") if f.hidden else str(f.median)) for f in found)])
    numeric = tuple(range(1, len(areas) + 1))
    story = heading(_("Median element score %(year)s", year=figures.current), 1)
    story.append(data_table([_("Element"), *(a.name for a in areas)], rows, [0.3, *([width] * len(areas))],
                            numeric=numeric))
    columns = [*figures.members, figures.areas["m"], figures.areas["r"], figures.areas["n"]]
    width = 0.8 / len(columns)
    n_rows = []
    for year in figures.years:
        cells = []
        for area in columns:
            count = area.count(year, "scored", ALL)
            cells.append("–" if count is None else (_("protected") if count.hidden else count.figure))
        n_rows.append([year, *cells])
    story += heading(_("Schools with element scores per school year"), 1)
    story.append(data_table([_("School year"), *(a.name for a in columns)], n_rows, [0.2, *([width] * len(columns))],
                            numeric=tuple(range(1, len(columns) + 1))))
    return story


def _matrix(cycle: Cycle) -> list:
    story = heading(_("2. Plan of approach: the Preventiematrix"))
    for kind, title in (("situation", _("Top desired situations")), ("problem", _("Top problems"))):
        chosen = cycle.chosen(kind)
        story += heading(title, 1)
        story += [para("• " + choice_label(c)) for c in chosen] or [para(_("None chosen yet."))]
    rows = []
    for row in cycle.matrix:
        cells = []
        for cell in row.cells:
            lines = [f"{esc(o.title)} <font color='#56646B'>({esc(o.partner)})</font>" for o in cell.offers]
            for column, count in cell.schools:
                figure = _("protected") if count.hidden else f"{count.figure}/{count.base}"
                lines.append(esc(f"{cycle.type_labels.get(column, column)}: {figure}"))
            lines += ["<b>" + esc(_("Still needed:")) + "</b> " + esc(n.text) for n in cell.needs]
            cells.append(Cell("<br/>".join(lines) or "–", CELL))   # markup: parts escaped above
        rows.append([sector_label(row.sector), *cells])
    story += heading(_("What exists and what is still needed"), 1)
    story.append(para(_("Schools row: schools using a recognised intervention at the level, of all schools."), SMALL))
    story.append(data_table([_("Sector"), *(level_label(v) for v in ("universal", "selective", "indicated"))], rows,
                            [0.22, 0.26, 0.26, 0.26]))
    story += heading(_("Ambitions and targets"), 1)
    target_rows = [[t.target.ambition or "–", f"{t.label} ({t.column_label})", f"≥ {t.target.threshold}{t.unit}",
                    t.target.by_year] for t in cycle.targets]
    story.append(data_table([_("Ambition"), _("Indicator"), _("Target"), _("By")], target_rows,
                            [0.3, 0.4, 0.12, 0.18]) if target_rows else para(_("No targets yet.")))
    return story


def _agreements(cycle: Cycle) -> list:
    story = heading(_("3. Agreements"))
    if not cycle.agreements:
        return story + [para(_("No agreements yet."))]
    rows = [[a.what, a.who + (f" · {a.partner.name}" if a.partner else ""),
             format_date(a.due_on) if a.due_on else "–", str(FORUMS[a.forum]), str(STATUSES[a.status])]
            for a in cycle.agreements]
    story.append(data_table([_("What"), _("Who"), _("By when"), _("Agreed in"), _("Status")], rows,
                            [0.32, 0.22, 0.14, 0.18, 0.14]))
    return story


def _monitoring(cycle: Cycle) -> list:
    story = heading(_("4. Monitoring and evaluation"))
    if not cycle.targets:
        return story + [para(_("No targets yet."))]
    for view in cycle.targets:
        story += heading(view.words, 1)
        rows = [[year, reading.figure or "–", state_label(reading.state), view.notes.get(year, "")]
                for year, reading in view.readings]
        story.append(data_table([_("School year"), _("Released figure"), _("Target met?"), _("Evaluation")], rows,
                                [0.16, 0.22, 0.14, 0.48]) if rows else para(_("No figures have been released yet.")))
        if view.region is not None and view.region.figure:
            story.append(para(_("The region now: %(figure)s.", figure=view.region.figure), BODY))
    return story
