"""Does the school report come out as a complete, readable A4 PDF with embedded fonts?

The PDF is checked from the outside with poppler (pdffonts, pdftotext, pdftoppm), as a reader's
viewer would see it.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext

from wellbeing.reports.data import (
    ActionRow,
    CriterionRow,
    ElementRow,
    GoalRow,
    MenuRow,
    PillarColumn,
    PlanYear,
    PriorityRow,
    Readiness,
    ReportData,
    YearScore,
)
from wellbeing.reports.pdf import build_school_report

# poppler-utils comes with `make system-packages`; without it these tests fail rather than skip.
assert shutil.which("pdftotext"), "pdftotext missing: run `make system-packages` (poppler-utils)"

SCHOOL = "Openbare Basisschool De Ëikenhof – locatie Groningen-Noord"
DIACRITICS = ("Ëikenhof", "coördinator", "ideeën", "café", "€ 1.250", "leerlingen’")
YEARS = ("2023-2024", "2024-2025", "2025-2026")
ELEMENTS = ("Visie en beleid op de lange termijn", "Positief pedagogisch klimaat",
            "Monitoren, signaleren en passende ondersteuning", "Stem en participatie van leerlingen",
            "Welbevinden en professionalisering van het team",
            "Samenwerking met ouders en partners in de wijk", "Gelijke kansen")
LONG = ("De intern begeleider en de coördinator bespreken twee keer per jaar met het team de ideeën "
        "van leerlingen’ over de regels; het budget van € 1.250 gaat naar de leerlingenraad en het café "
        "voor ouders. Daarna volgt een evaluatie met ouders, team en leerlingen, en worden afspraken "
        "vastgelegd in de schoolgids zodat nieuwe collega’s weten wat er van hen verwacht wordt.")
HEADINGS = ("Summary", "Element scores", "Priorities", "Menu card", "Multi-year plan", "Vignet readiness")


def rich_report(locale: str = "en") -> ReportData:
    elements = tuple(
        ElementRow(title, tuple(
            YearScore(year, None if (i, y) in {(3, 0), (6, 1)} else 40 + 7 * i + 9 * y,
                      None if (i, y) == (6, 0) else 45 + 6 * i + 8 * y)
            for y, year in enumerate(YEARS)))
        for i, title in enumerate(ELEMENTS))
    priorities = tuple(PriorityRow(ELEMENTS[i], f"Stelling {i + 1}: leerlingen voelen zich veilig op het "
                                   "schoolplein en in de gangen, ook bij de coördinator", 55 + i,
                                   LONG if i % 2 else "Kort: ideeën uit de leerlingenraad.")
                       for i in range(4))
    pillars = ("Educatie", "Signaleren", "Schoolomgeving", "Beleid")
    menu = tuple(PillarColumn(label, tuple(
        MenuRow(f"{label}: activiteit {n + 1} met café-overleg", "" if p == 1 else ("Doen we al" if n % 2 else
                "Willen we"), "2024-2025" if n % 2 and p != 1 else "", "groep 1–8", LONG if n == 0 else "",
                own=n == 2, intervention="Kanjertraining (sterke aanwijzingen)" if n == 1 else "")
        for n in range(5)), gap=p == 1) for p, label in enumerate(pillars))
    goals = tuple(GoalRow(f"Doel {n + 1}: minder pesten en meer ideeën van leerlingen’", "Monitor sociale "
                          "veiligheid", "90% voelt zich veilig", YEARS[-1], ELEMENTS[n]) for n in range(4))
    plan = tuple(PlanYear(year, tuple(
        ActionRow(pillars[n % 4], f"Actie {n + 1}: {LONG[:90 + n * 3]}", "Coördinator", "sep–dec",
                  "Gepland", LONG[: 40 + 7 * n]) for n in range(12)))
        for year in (*YEARS[1:], "2026-2027"))
    readiness = Readiness("Vignet Welbevinden, criteria 2026-2027 (po)", 9, 14, tuple(
        CriterionRow(pillars[n % 4] if n else "Algemeen", f"Criterium {n + 1}: de school heeft een "
                     "coördinator met uren en budget (€ 1.250)", "Voldaan" if n < 9 else "Ontbreekt",
                     n < 9, "" if n < 9 else LONG[:150]) for n in range(14)), "Geldig tot 1 maart 2028")
    return ReportData(locale, date(2026, 3, 1), SCHOOL, "12AB", "Basisonderwijs", "Groningen", 4,
                      "Plan van aanpak per pijler", "Stel per pijler acties op en leg ze vast in het "
                      "meerjarenplan met de coördinator.", YEARS, elements, priorities, menu, goals, plan,
                      readiness)


def minimal_report() -> ReportData:
    return ReportData("en", date(2026, 3, 1), "Kindcentrum ’t Hoekje", "99ZZ", "Speciaal onderwijs", "Utrecht",
                      1, "Beginsituatie", "Kies een coördinator.", (), (), (), (), (), (), None)


def _write(tmp_path: Path, name: str, pdf: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def _page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _fonts(path: Path) -> list[tuple[str, str]]:
    """(font name, emb column) for every font the PDF uses."""
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()
    header = lines[0]
    emb = header.index("emb")
    return [(line.split()[0], line[emb:emb + 3].strip()) for line in lines[2:] if line.strip()]


def _gray_pages(path: Path, out: Path) -> list[bytes]:
    """Each page rendered as 8-bit gray pixels (binary PGM body)."""
    subprocess.run(["pdftoppm", "-gray", "-r", "40", str(path), str(out / "page")], check=True)
    pages = []
    for pgm in sorted(out.glob("page-*.pgm")):
        raw = pgm.read_bytes()
        fields, pos = [], 0
        while len(fields) < 4:               # magic, width, height, maxval (whitespace separated)
            while raw[pos:pos + 1].isspace():
                pos += 1
            end = pos
            while not raw[end:end + 1].isspace():
                end += 1
            fields.append(raw[pos:end])
            pos = end
        assert fields[0] == b"P5"
        pages.append(raw[pos + 1:])
    return pages


@pytest.fixture
def rich_pdf(app, tmp_path):
    with app.app_context(), force_locale("en"):
        return _write(tmp_path, "rich.pdf", build_school_report(rich_report()))


def test_rich_report_is_a_multi_page_pdf_with_only_embedded_fonts(rich_pdf):
    assert rich_pdf.read_bytes().startswith(b"%PDF-")
    assert _page_count(rich_pdf) >= 6
    fonts = _fonts(rich_pdf)
    assert fonts, "pdffonts found no fonts"
    assert all(emb == "yes" for _, emb in fonts), fonts


def test_rich_report_text_has_school_diacritics_headings_and_page_numbers(rich_pdf):
    text = _text(rich_pdf)
    total = _page_count(rich_pdf)
    assert SCHOOL in text
    for word in DIACRITICS:
        assert word in text, word
    for heading in HEADINGS:
        assert heading in text, heading
    assert "gap: nothing done yet in this pillar" in text
    for n in (1, total):
        assert f"Page {n} of {total}" in text
    assert "Welbevinden in beeld" in text and "12AB" in text and "March 1, 2026" in text


def test_rich_report_tables_repeat_their_header_when_they_span_pages(rich_pdf):
    pages = _text(rich_pdf).split("\f")
    with_action_header = [p for p in pages if "Evaluation" in p and "Action" in p]
    assert len(with_action_header) >= 2


def test_rich_report_metadata_names_title_author_and_language(rich_pdf):
    info = subprocess.run(["pdfinfo", str(rich_pdf)], check=True, capture_output=True, text=True).stdout
    assert "Welbevinden in beeld" in info.split("Author:")[1].splitlines()[0]
    assert SCHOOL in info.split("Title:")[1].splitlines()[0]
    assert b"/Lang (en)" in rich_pdf.read_bytes()


def test_every_page_renders_something(rich_pdf, tmp_path):
    out = tmp_path / "png"
    out.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(rich_pdf), str(out / "page")], check=True)
    assert len(list(out.glob("page-*.png"))) == _page_count(rich_pdf)
    gray = tmp_path / "gray"
    gray.mkdir()
    pages = _gray_pages(rich_pdf, gray)
    assert len(pages) == _page_count(rich_pdf)
    for number, pixels in enumerate(pages, start=1):
        dark = sum(1 for value in pixels if value < 200)
        assert dark > len(pixels) * 0.005, f"page {number} is (nearly) blank"


def test_minimal_report_without_rounds_or_readiness_still_builds(app, tmp_path):
    with app.app_context(), force_locale("en"):
        path = _write(tmp_path, "minimal.pdf", build_school_report(minimal_report()))
    text = _text(path)
    total = _page_count(path)
    assert "Kindcentrum ’t Hoekje" in text
    for heading in HEADINGS:
        assert heading in text, heading
    assert "no vignet criteria apply" in text
    assert "There are no element scores yet" in text
    assert f"Page 1 of {total}" in text
    assert all(emb == "yes" for _, emb in _fonts(path))


def test_dutch_report_uses_whatever_the_dutch_catalogue_says(app, tmp_path):
    with app.app_context(), force_locale("nl"):
        path = _write(tmp_path, "nl.pdf", build_school_report(rich_report("nl")))
        expected = [gettext(heading) for heading in HEADINGS]
    text = _text(path)
    for heading in expected:
        assert heading in text, heading
    assert b"/Lang (nl)" in path.read_bytes()


def test_hostile_text_is_escaped_and_very_long_cells_split_across_pages(app, tmp_path):
    huge = " ".join(["<b>Tom & Jerry</b> \x07 overleggen"] * 400)
    report = replace(rich_report(), priorities=(PriorityRow("Element & <i>", "Stelling <script>", None, huge),))
    with app.app_context(), force_locale("en"):
        path = _write(tmp_path, "hostile.pdf", build_school_report(report))
    text = _text(path)
    assert "<b>Tom & Jerry</b>" in text
    assert "Element & <i>" in text


def test_table_cells_break_lines_between_words_never_inside_one(app, tmp_path):
    """"Afgesproken" in a narrow column once came out as "Afgespro ken"; every word must stay whole."""
    with app.app_context(), force_locale("nl"):
        path = _write(tmp_path, "words.pdf", build_school_report(rich_report("nl")))
        agreed = gettext("Agreed")
    words = set(subprocess.run(["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True,
                               text=True).stdout.split())
    assert agreed in words
    whole = {agreed, "Schoolomgeving", "Signaleren", "coördinator"}
    broken = {w for w in words if any(w != target and len(w) >= 3 and target.startswith(w) for target in whole)}
    assert broken == set(), f"words cut inside: {sorted(broken)}"


def test_a_cell_sets_a_word_wider_than_its_column_smaller_instead_of_cutting_it(app):
    from reportlab.lib.units import mm

    from wellbeing.reports.pdf_style import CELL_HEAD, Cell
    cell = Cell("Middelbaar beroepsonderwijs", CELL_HEAD)
    cell.wrap(22 * mm, 100 * mm)
    assert [words for _, words in cell.blPara.lines] == [["Middelbaar"], ["beroepsonderwijs"]]
    assert Cell.MIN_SIZE <= cell.style.fontSize < CELL_HEAD.fontSize
    tiny = Cell("Beroepsonderwijs", CELL_HEAD)
    tiny.wrap(10 * mm, 100 * mm)
    assert [words for _, words in tiny.blPara.lines] == [["Beroepsonderwijs"]]
