"""The school report as an A4 PDF: cover, summary, element scores, priorities, menu card,
multi-year plan and vignet readiness, with a running header and "page n of m" on every page.

Call ``build_school_report`` inside an app context with ``flask_babel.force_locale(data.locale)``:
fixed labels are translated with ``gettext``; the data arrives translated already.
"""
from __future__ import annotations

from io import BytesIO

from flask_babel import format_date
from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate

from wellbeing.reports import pdf_sections as sections
from wellbeing.reports.data import ReportData
from wellbeing.reports.fonts import FONTS, register_fonts
from wellbeing.reports.pdf_style import (
    ACCENT,
    ACCENT_DARK,
    FRAME_WIDTH,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    Heading,
)

PRODUCT = "Welbevinden in beeld"
COVER_BAND = 62 * mm


def build_school_report(data: ReportData) -> bytes:
    """Lay out ``data`` as a PDF and return its bytes. Fonts are embedded TrueType."""
    fonts = register_fonts()
    title = _("School report")
    furniture = Furniture(
        school=data.school_name, fonts=(fonts.regular, fonts.bold),
        left_footer=_("%(title)s, %(date)s", title=title, date=format_date(data.generated_on, format="long")),
        page_label=lambda n, total: _("Page %(n)d of %(total)d", n=n, total=total))
    buffer = BytesIO()
    doc = ReportDocument(
        buffer, title=f"{title} – {data.school_name}", author=PRODUCT, creator=PRODUCT,
        subject=_("Wellbeing report of %(school)s", school=data.school_name), lang=data.locale,
        displayDocTitle=1, initialFontName=fonts.regular, initialFontSize=10)
    doc.build(_story(data), canvasmaker=furniture.canvas_class())
    return buffer.getvalue()


def _story(data: ReportData) -> list:
    story = [*sections.cover(data), NextPageTemplate("body"), PageBreak()]
    story += [*sections.summary(data), *sections.element_scores(data), *sections.priorities(data)]
    story += sections.agreements(data)
    story += [PageBreak(), *sections.menu_card(data)]
    story += [PageBreak(), *sections.plan(data)]
    story += sections.readiness(data)
    return story


class ReportDocument(BaseDocTemplate):
    """Two page templates (cover, body); headings become PDF outline entries."""

    def __init__(self, target, **kwargs):
        super().__init__(target, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN_X,
                         rightMargin=MARGIN_X, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, **kwargs)
        body = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
                     id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = Frame(MARGIN_X, MARGIN_BOTTOM, FRAME_WIDTH, PAGE_HEIGHT - COVER_BAND - MARGIN_BOTTOM,
                      id="cover", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate("cover", [cover], onPage=_draw_cover_band),
                               PageTemplate("body", [body])])
        self._outline_keys = 0

    def afterFlowable(self, flowable):
        if isinstance(flowable, Heading):
            self._outline_keys += 1
            key = f"h{self._outline_keys}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_text, key, level=flowable.outline_level, closed=True)


def _draw_cover_band(canvas: Canvas, doc) -> None:
    canvas.saveState()
    canvas.setFillColor(ACCENT)
    canvas.rect(0, PAGE_HEIGHT - COVER_BAND, PAGE_WIDTH, COVER_BAND, stroke=0, fill=1)
    canvas.setFillColor(ACCENT_DARK)
    canvas.rect(0, PAGE_HEIGHT - COVER_BAND, PAGE_WIDTH, 2.5 * mm, stroke=0, fill=1)
    canvas.setFillColor("white")
    canvas.setFont(FONTS.bold, 24)
    canvas.drawString(MARGIN_X, PAGE_HEIGHT - COVER_BAND + 22 * mm, PRODUCT)
    canvas.restoreState()


class Furniture:
    """Header and footer for every page. Drawn when the document is saved, because only then is the
    page total known: the canvas keeps each finished page's state and replays them at the end."""

    def __init__(self, school: str, fonts: tuple[str, str], left_footer: str, page_label):
        self.school, self.left_footer, self.page_label = school, left_footer, page_label
        self.regular, self.bold = fonts

    def canvas_class(self) -> type[Canvas]:
        furniture = self

        class NumberedCanvas(Canvas):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self._pages: list[dict] = []

            def showPage(self):
                self._pages.append(dict(self.__dict__))
                self._startPage()

            def save(self):
                total = len(self._pages)
                for number, state in enumerate(self._pages, start=1):
                    self.__dict__.update(state)
                    furniture.draw(self, number, total)
                    Canvas.showPage(self)
                Canvas.save(self)

        return NumberedCanvas

    def draw(self, canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        right = PAGE_WIDTH - MARGIN_X
        if number > 1:
            top = PAGE_HEIGHT - 13 * mm
            canvas.setFont(self.bold, 8)
            canvas.setFillColor(ACCENT)
            canvas.drawString(MARGIN_X, top, PRODUCT)
            canvas.setFont(self.regular, 8)
            canvas.setFillColor(MUTED)
            room = FRAME_WIDTH - stringWidth(PRODUCT, self.bold, 8) - 10 * mm
            canvas.drawRightString(right, top, _fit(self.school, self.regular, 8, room))
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.6)
            canvas.line(MARGIN_X, top - 3 * mm, right, top - 3 * mm)
        bottom = 11 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, bottom + 4 * mm, right, bottom + 4 * mm)
        canvas.setFont(self.regular, 7.5)
        canvas.setFillColor(MUTED)
        label = self.page_label(number, total)
        room = FRAME_WIDTH - stringWidth(label, self.regular, 7.5) - 10 * mm
        canvas.drawString(MARGIN_X, bottom, _fit(f"{self.school} · {self.left_footer}", self.regular, 7.5, room))
        canvas.drawRightString(right, bottom, label)
        canvas.restoreState()


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis so it fits ``width`` points on one line."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"
