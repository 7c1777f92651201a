"""The look of the school report: colours, paragraph styles and the table helper the sections share.

The colours come from ``wellbeing.palette`` (one calm teal accent on white; a warm amber only for
notices that need action: gaps, unmet criteria).
All text uses the embedded font family from ``fonts.py``; never a built-in PDF font.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Paragraph, Table, TableStyle

from wellbeing import palette
from wellbeing.reports.fonts import FONTS

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

# The colours of ``wellbeing.palette``, which the web charts read too.
ACCENT = colors.HexColor(palette.ACCENT)
ACCENT_DARK = colors.HexColor(palette.ACCENT_DARK)
ACCENT_LIGHT = colors.HexColor(palette.ACCENT_LIGHT)
INK = colors.HexColor(palette.INK)
MUTED = colors.HexColor(palette.MUTED)
RULE = colors.HexColor(palette.RULE)
ZEBRA = colors.HexColor(palette.ZEBRA)
WARN_BG = colors.HexColor(palette.WARN_BG)
WARN_RULE = colors.HexColor(palette.WARN_RULE)
WARN_INK = colors.HexColor(palette.WARN_INK)
# The chart's series run from light (oldest year) to dark (newest), all in the accent hue.
SERIES_LIGHT = colors.HexColor(palette.SERIES_LIGHT)
SERIES_DARK = colors.HexColor(palette.SERIES_DARK)


def _style(name: str, **kw) -> ParagraphStyle:
    base = dict(fontName=FONTS.regular, fontSize=9.5, leading=13, textColor=INK, alignment=TA_LEFT)
    base.update(kw)
    return ParagraphStyle(name, **base)


BODY = _style("body", spaceAfter=5)
SMALL = _style("small", fontSize=8, leading=10.5, textColor=MUTED)
CELL = _style("cell", fontSize=8.5, leading=11)
CELL_BOLD = _style("cell-bold", fontSize=8.5, leading=11, fontName=FONTS.bold)
CELL_NUM = _style("cell-num", fontSize=8.5, leading=11, alignment=TA_RIGHT)
CELL_HEAD = _style("cell-head", fontSize=8, leading=10, fontName=FONTS.bold, textColor=colors.white)
CELL_HEAD_NUM = ParagraphStyle("cell-head-num", parent=CELL_HEAD, alignment=TA_RIGHT)
CELL_CENTER = ParagraphStyle("cell-center", parent=CELL, alignment=TA_CENTER)
CELL_BOLD_CENTER = ParagraphStyle("cell-bold-center", parent=CELL_BOLD, alignment=TA_CENTER)
CELL_HEAD_CENTER = ParagraphStyle("cell-head-center", parent=CELL_HEAD, alignment=TA_CENTER)
LABEL = _style("label", fontSize=8.5, leading=11.5, textColor=MUTED)
VALUE = _style("value", fontSize=10, leading=13.5, fontName=FONTS.bold)
H1 = _style("h1", fontName=FONTS.bold, fontSize=17, leading=21, textColor=ACCENT_DARK, spaceBefore=16, spaceAfter=8)
H2 = _style("h2", fontName=FONTS.bold, fontSize=12, leading=15, textColor=INK, spaceBefore=10, spaceAfter=5)
NOTICE = _style("notice", fontSize=9, leading=12, textColor=WARN_INK, fontName=FONTS.bold)
COVER_KICKER = _style("cover-kicker", fontSize=11, leading=14, textColor=ACCENT, fontName=FONTS.bold)
COVER_TITLE = _style("cover-title", fontName=FONTS.bold, fontSize=30, leading=36, textColor=INK, spaceAfter=6)
COVER_SCHOOL = _style("cover-school", fontName=FONTS.bold, fontSize=20, leading=25, textColor=ACCENT_DARK,
                      spaceAfter=14)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def esc(text: object) -> str:
    """Data text as Paragraph markup: XML-escaped, control characters dropped, newlines kept."""
    return escape(_CONTROL.sub("", str(text))).replace("\r\n", "\n").replace("\n", "<br/>")


class Cell(Paragraph):
    """A paragraph that breaks lines only between words. Reportlab cuts a word that is wider than
    its column anywhere ("Afgespro ken"); a cell instead sets its text smaller, down to
    ``MIN_SIZE``, until its widest word fits, and leaves the column widths alone."""

    MIN_SIZE = 5.5

    def _widest_word(self) -> float:
        """Measured once per style: a table asks a cell to wrap several times."""
        found = getattr(self, "_widest", None)
        if found is None:
            found = self._widest = max((stringWidth(word, frag.fontName, frag.fontSize) for frag in self.frags
                                        for word in getattr(frag, "text", "").split()), default=0.0)
        return found

    def wrap(self, availWidth, availHeight):
        room = availWidth - self.style.leftIndent - self.style.rightIndent
        widest = self._widest_word()
        if widest > room > 0 and self.style.fontSize > self.MIN_SIZE:
            scale = max(self.MIN_SIZE / self.style.fontSize, room / widest)
            # Below the minimum size a word may stick out a little rather than be cut.
            fitted = ParagraphStyle(f"{self.style.name}-fit", parent=self.style, fontSize=self.style.fontSize * scale,
                                    leading=self.style.leading * scale, splitLongWords=0)
            self.__init__(self.text, fitted)
            self._widest = None
        return super().wrap(availWidth, availHeight)


def para(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    return Cell(esc(text), style)


class Heading(Paragraph):
    """A section heading that also becomes an entry in the PDF outline (bookmarks pane)."""

    def __init__(self, text: str, level: int = 0):
        super().__init__(esc(text), H1 if level == 0 else H2)
        self.outline_text = text
        self.outline_level = level


def heading(text: str, level: int = 0, room: float = 45 * mm) -> list[Flowable]:
    """A heading that starts a new page unless ``room`` is left below it for what follows.

    (Not keepWithNext: that would push a long table after the heading to the next page whole.)
    """
    return [CondPageBreak(room), Heading(text, level)]


def score_text(value: float | None) -> str:
    return "–" if value is None else str(int(round(value)))


def data_table(header: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float],
               numeric: Sequence[int] = ()) -> Table:
    """A table with a teal header row that repeats on every page and wrapping text in each cell.

    ``widths`` are fractions of the frame width; ``numeric`` lists right-aligned column indexes.
    Cells that are already flowables are used as is; anything else is wrapped in a Paragraph.
    """
    head = [Cell(esc(h), CELL_HEAD_NUM if i in numeric else CELL_HEAD) for i, h in enumerate(header)]
    body = [[cell if isinstance(cell, (Flowable, list)) else para(cell, CELL_NUM if i in numeric else CELL)
             for i, cell in enumerate(row)] for row in rows]
    table = PageTable([head, *body], colWidths=[w * FRAME_WIDTH for w in widths], repeatRows=1,
                      splitInRow=3 * CELL.leading, hAlign="LEFT")
    table.setStyle(TableStyle(base_table_style(header_rows=1)))
    return table


class PageTable(Table):
    """A table that splits between rows, and inside a row only when it has most of a page to fill.

    Splitting inside a row lets a cell longer than a page continue on the next one; near the bottom
    of a page, moving the row (and the repeated header) to the next page reads better.
    """

    def split(self, availWidth, availHeight):
        if availHeight >= 0.7 * FRAME_HEIGHT or not self.splitInRow:
            return super().split(availWidth, availHeight)
        in_row, self.splitInRow = self.splitInRow, 0
        try:
            parts = super().split(availWidth, availHeight)
        finally:
            self.splitInRow = in_row
        for part in parts:          # the parts were created while in-row splitting was off
            part.splitInRow = in_row
        if parts:
            return parts
        # The first row does not fit here. If it is so tall it will be split anyway, start it here.
        heights = getattr(self, "_rowHeights", None) or ()
        if len(heights) > self.repeatRows and heights[self.repeatRows] > 0.5 * FRAME_HEIGHT:
            return super().split(availWidth, availHeight)
        return []


def base_table_style(header_rows: int = 1) -> list[tuple]:
    return [
        ("FONTNAME", (0, 0), (-1, -1), FONTS.regular),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), ACCENT),
        ("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [colors.white, ZEBRA]),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.4, RULE),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, ACCENT_DARK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]


def notice(text: str, width: float = FRAME_WIDTH) -> Table:
    """An amber box with a strong left rule, for things the school must act on."""
    box = Table([[Paragraph(esc(text), NOTICE)]], colWidths=[width], hAlign="LEFT")
    box.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONTS.regular),
        ("BACKGROUND", (0, 0), (-1, -1), WARN_BG),
        ("LINEBEFORE", (0, 0), (0, -1), 3, WARN_RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ]))
    return box

