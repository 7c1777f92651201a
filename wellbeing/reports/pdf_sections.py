"""The sections of the school report, each a list of flowables built from ``ReportData``.

Must run inside an app context with the report's locale forced: every fixed label goes through
``gettext``; data strings arrive translated already.
"""
from __future__ import annotations

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import ngettext
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from wellbeing.reports.data import ElementRow, PillarColumn, ReportData
from wellbeing.reports.fonts import FONTS
from wellbeing.reports.pdf_chart import phase_steps, progress_bar, team_score_chart
from wellbeing.reports.pdf_style import (
    ACCENT,
    ACCENT_LIGHT,
    BODY,
    CELL,
    CELL_BOLD,
    CELL_BOLD_CENTER,
    CELL_CENTER,
    CELL_HEAD,
    CELL_HEAD_CENTER,
    Cell,
    COVER_SCHOOL,
    COVER_TITLE,
    FRAME_WIDTH,
    LABEL,
    RULE,
    SMALL,
    VALUE,
    WARN_BG,
    WARN_INK,
    Heading,
    base_table_style,
    data_table,
    esc,
    heading,
    notice,
    para,
    score_text,
)

YEARS_PER_TABLE = 3


def cover(data: ReportData) -> list[Flowable]:
    facts = [(_("BRIN"), data.brin), (_("School type"), data.school_type),
             (_("Municipality"), data.municipality),
             (_("Generated on"), format_date(data.generated_on, format="long"))]
    return [
        Spacer(0, 18 * mm),
        para(_("School report"), COVER_TITLE),
        para(data.school_name, COVER_SCHOOL),
        _key_values(facts, label_width=0.25),
        Spacer(0, 14 * mm),
        para(_("This report shows where the school stands in its work on the wellbeing of pupils, the "
               "Gezonde School way: the team's view per element, the priorities, the menu card, the "
               "multi-year plan and readiness for the vignet."), BODY),
        para(_("Team scores are aggregates. They are shown only when enough team members answered, and "
               "no answer of an individual team member can be read from this report."), SMALL),
    ]


def summary(data: ReportData) -> list[Flowable]:
    phase = [para(_("Step %(n)d of 6: %(title)s", n=data.phase_number, title=data.phase_title), VALUE),
             Spacer(0, 1.5 * mm), phase_steps(data.phase_number)]
    if data.readiness is None:
        readiness: list[Flowable] = [para(_("Not determined yet"), VALUE)]
    else:
        r = data.readiness
        readiness = [para(_("%(met)d of %(total)d criteria met", met=r.met, total=r.total), VALUE),
                     Spacer(0, 1.5 * mm), progress_bar(r.met, r.total),
                     para(r.certificate or _("No certificate recorded."), CELL)]
    if data.years:
        years = _("%(count)d (%(years)s)", count=len(data.years), years=", ".join(data.years))
    else:
        years = _("none yet")
    gaps = [pillar.label for pillar in data.menu if pillar.gap]
    gap_cell = (Paragraph(f'<font color="{_hex(WARN_INK)}">{esc(", ".join(gaps))}</font>', VALUE) if gaps
                else para(_("none"), VALUE))
    rows = [(_("Gezonde School phase"), phase), (_("Next step"), para(data.next_step, CELL)),
            (_("Vignet readiness"), readiness), (_("School years with a round"), para(years, VALUE)),
            (_("Pillars with a gap"), gap_cell)]
    return [*heading(_("Summary")), _key_values(rows, label_width=0.3, boxed=True)]


def element_scores(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = heading(_("Element scores"), room=80 * mm)
    if not data.elements or not data.years:
        return story + [para(_("There are no element scores yet: the school has no round with answers."))]
    story.append(para(_("Team score: the average of the team's answers. Agreed score: the score the team "
                        "agreed on together. Both run from 0 to 100.")))
    # More years than fit one table: several tables, all with the same columns so they line up.
    layout = min(len(data.years), YEARS_PER_TABLE)
    for start in range(0, len(data.years), YEARS_PER_TABLE):
        story += [_score_table(data.elements, data.years[start:start + YEARS_PER_TABLE], layout),
                  Spacer(0, 2 * mm)]
    if _has_missing_scores(data):
        story.append(para(_("– means no score. A team score stays hidden while fewer team members answered "
                            "than the anonymity threshold requires; an agreed score is missing until the "
                            "team has agreed on one."), SMALL))
    chart = team_score_chart(data.elements, data.years)
    title = Heading(_("Team scores over the years"), level=1)
    if chart is None:
        return story + [title, para(_("No team score can be shown yet."))]
    return story + [KeepTogether([title, para(_("Team score per element and school year (0–100)."), SMALL),
                                  chart])]


def _has_missing_scores(data: ReportData) -> bool:
    for element in data.elements:
        scores = {s.school_year: s for s in element.scores}
        if any(year not in scores or scores[year].team is None or scores[year].agreed is None
               for year in data.years):
            return True
    return False


def _score_table(elements: tuple[ElementRow, ...], years: tuple[str, ...], layout_years: int) -> Table:
    year_width = 0.105 * FRAME_WIDTH
    first = 0.045 * FRAME_WIDTH
    element_width = FRAME_WIDTH - first - year_width * 2 * layout_years
    head1: list[object] = ["#", Cell(esc(_("Element")), CELL_HEAD)]
    head2: list[object] = ["", ""]
    for year in years:
        head1 += [Cell(esc(year), CELL_HEAD_CENTER), ""]
        head2 += [Cell(esc(_("Team")), CELL_HEAD_CENTER), Cell(esc(_("Agreed")), CELL_HEAD_CENTER)]
    rows: list[list[object]] = [head1, head2]
    for number, element in enumerate(elements, start=1):
        scores = {s.school_year: s for s in element.scores}
        row: list[object] = [str(number), para(element.title, CELL)]
        for year in years:
            score = scores.get(year)
            row += [para(score_text(score.team if score else None), CELL_BOLD_CENTER),
                    para(score_text(score.agreed if score else None), CELL_CENTER)]
        rows.append(row)
    table = Table(rows, colWidths=[first, element_width] + [year_width] * (2 * len(years)),
                  repeatRows=2, hAlign="LEFT")
    style = base_table_style(header_rows=2) + [
        ("SPAN", (0, 0), (0, 1)), ("SPAN", (1, 0), (1, 1)),
        ("TEXTCOLOR", (0, 0), (0, 1), "white"), ("FONTNAME", (0, 0), (0, 1), CELL_HEAD.fontName),
        ("FONTSIZE", (0, 0), (0, -1), 8.5),
        ("LINEBELOW", (2, 0), (-1, 0), 0.4, ACCENT_LIGHT),
    ]
    for i in range(len(years)):
        col = 2 + 2 * i
        style += [("SPAN", (col, 0), (col + 1, 0)), ("LINEBEFORE", (col, 0), (col, -1), 0.6, RULE)]
    table.setStyle(TableStyle(style))
    return table


def priorities(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = heading(_("Priorities"), room=60 * mm)
    if not data.priorities:
        return story + [para(_("The team has not chosen any priorities yet."))]
    rows = [[p.element, p.statement, score_text(p.agreed_score), p.rationale] for p in data.priorities]
    return story + [data_table([_("Element"), _("Statement"), _("Agreed score"), _("Rationale")], rows,
                               [0.2, 0.34, 0.14, 0.32], numeric=(2,))]


def agreements(data: ReportData) -> list[Flowable]:
    """Statement by statement what the team agreed in the most recent round; the rest "not discussed"."""
    found = data.agreements
    if found is None:
        return []
    story: list[Flowable] = heading(_("Agreements %(year)s", year=found.school_year), room=60 * mm)
    story.append(para(ngettext("The team agreed on %(num)d of %(total)d statements; the others were not discussed.",
                               "The team agreed on %(num)d of %(total)d statements; the others were not discussed.",
                               found.agreed, total=len(found.rows))))
    rows = [[r.element, r.statement, score_text(r.agreed_score) if r.discussed else _("not discussed"),
             r.priority] for r in found.rows]
    return story + [data_table([_("Element"), _("Statement"), _("Agreed score"), _("Priority")], rows,
                               [0.22, 0.5, 0.15, 0.13], numeric=(2,))]


def menu_card(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = heading(_("Menu card"))
    if not data.menu:
        return story + [para(_("The menu card has not been filled in yet."))]
    story += [para(_("What the school does, wants and chooses per Gezonde School pillar. Activities "
                     "marked “own activity” were added by the school itself.")), _menu_overview(data.menu)]
    for pillar in data.menu:
        story += heading(pillar.label, level=1)
        if pillar.gap:
            story += [notice(_("gap: nothing done yet in this pillar")), Spacer(0, 2 * mm)]
        if not pillar.rows:
            story.append(para(_("No activities on the menu card for this pillar.")))
            continue
        rows = [[_activity_cell(row.activity, row.own, row.intervention), row.status or "–",
                 row.since or "–", row.grades or "–", row.note] for row in pillar.rows]
        story.append(data_table([_("Activity"), _("Status"), _("Since"), _("Grades"), _("Note")], rows,
                                [0.34, 0.14, 0.13, 0.12, 0.27]))
    return story


def _activity_cell(activity: str, own: bool, intervention: str) -> list[Flowable]:
    cell: list[Flowable] = [para(activity, CELL)]
    if own:
        cell.append(Paragraph(f'<font color="{_hex(ACCENT)}"><b>{esc(_("own activity"))}</b></font>', SMALL))
    if intervention:
        cell.append(para(_("Recognised intervention: %(name)s", name=intervention), SMALL))
    return cell


def _menu_overview(menu: tuple[PillarColumn, ...]) -> Table:
    """The matrix at a glance: one column per pillar, how many activities are marked, and the gaps."""
    head = [Cell(esc(p.label), CELL_HEAD) for p in menu]
    cells = []
    for pillar in menu:
        marked = sum(1 for row in pillar.rows if row.status)
        text = _("%(marked)d of %(count)d activities marked", marked=marked, count=len(pillar.rows))
        if pillar.gap:
            text += "\n" + _("gap: nothing done yet in this pillar")
        cells.append(para(text, CELL_BOLD if pillar.gap else CELL))
    table = Table([head, cells], colWidths=[FRAME_WIDTH / len(menu)] * len(menu), hAlign="LEFT")
    style = base_table_style() + [("LINEAFTER", (0, 0), (-2, -1), 0.6, "white")]
    for i, pillar in enumerate(menu):
        if pillar.gap:
            style += [("BACKGROUND", (i, 1), (i, 1), WARN_BG), ("TEXTCOLOR", (i, 1), (i, 1), WARN_INK)]
    table.setStyle(TableStyle(style))
    return table


def plan(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = [*heading(_("Multi-year plan")), Heading(_("Goals"), level=1)]
    if data.goals:
        rows = [[g.what, g.measure, g.target, g.by_year, g.linked] for g in data.goals]
        story.append(data_table([_("Goal"), _("Measure"), _("Target"), _("By"), _("Linked to")], rows,
                                [0.28, 0.22, 0.16, 0.12, 0.22]))
    else:
        story.append(para(_("No goals have been set yet.")))
    if not data.plan:
        return story + [*heading(_("Actions"), level=1), para(_("No actions have been planned yet."))]
    for year in data.plan:
        story += heading(_("Actions in %(year)s", year=year.school_year), level=1)
        if not year.actions:
            story.append(para(_("No actions planned for this school year.")))
            continue
        rows = [[a.pillar, a.title, a.owner, a.period, a.status, a.evaluation] for a in year.actions]
        story.append(data_table([_("Pillar"), _("Action"), _("Owner"), _("Period"), _("Status"),
                                 _("Evaluation")], rows, [0.17, 0.27, 0.13, 0.11, 0.11, 0.21]))
    return story


def readiness(data: ReportData) -> list[Flowable]:
    story: list[Flowable] = heading(_("Vignet readiness"), room=90 * mm)
    r = data.readiness
    if r is None:
        return story + [para(_("Readiness for the vignet cannot be shown: no vignet criteria apply to "
                               "this school yet."))]
    story += [para(r.title, VALUE), Spacer(0, 1 * mm),
              para(_("%(met)d of %(total)d criteria met", met=r.met, total=r.total), BODY),
              progress_bar(r.met, r.total, width=FRAME_WIDTH), Spacer(0, 2 * mm),
              para(r.certificate or _("No certificate recorded."), BODY)]
    if not r.rows:
        return story
    rows = [[c.pillar, c.text, _status_cell(c.status, c.met), c.todo] for c in r.rows]
    return story + [data_table([_("Pillar"), _("Criterion"), _("Status"), _("What to do")], rows,
                               [0.17, 0.36, 0.14, 0.33])]


def _status_cell(status: str, met: bool) -> Paragraph:
    return Paragraph(f'<font color="{_hex(ACCENT if met else WARN_INK)}">{esc(status)}</font>', CELL_BOLD)


def _key_values(rows: list[tuple[str, object]], label_width: float, boxed: bool = False) -> Table:
    body = [[para(label, LABEL), value if not isinstance(value, str) else para(value, VALUE)]
            for label, value in rows]
    table = Table(body, colWidths=[label_width * FRAME_WIDTH, (1 - label_width) * FRAME_WIDTH], hAlign="LEFT")
    style = [("FONTNAME", (0, 0), (-1, -1), FONTS.regular), ("VALIGN", (0, 0), (-1, -1), "TOP"),
             ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
             ("LEFTPADDING", (0, 0), (-1, -1), 0), ("LINEBELOW", (0, 0), (-1, -2), 0.4, RULE)]
    if boxed:
        style += [("BACKGROUND", (0, 0), (0, -1), ACCENT_LIGHT), ("LEFTPADDING", (0, 0), (-1, -1), 6),
                  ("BOX", (0, 0), (-1, -1), 0.6, RULE)]
    table.setStyle(TableStyle(style))
    return table


def _hex(colour) -> str:
    return "#" + colour.hexval()[2:]
