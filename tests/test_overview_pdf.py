"""Does the municipality/region overview come out as a complete A4 PDF that marks hidden cells?

Checked from the outside with poppler (pdffonts, pdftotext, pdfinfo, pdftoppm), as a reader's viewer
would see it. The sample overview is the one the chart tests use.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext

from tests.test_overview_charts import AREA, ELEMENTS, YEARS, sample_overview, trends
from wellbeing.overview.data import NO_SCHOOLS, PROTECTED, Trend, TrendPoint
from wellbeing.overview.pdf import _trend_drawing, build_overview_report

# poppler-utils comes with `make system-packages`; without it these tests fail rather than skip.
assert shutil.which("pdftotext"), "pdftotext missing: run `make system-packages` (poppler-utils)"

HEADINGS = ("%(product)s: overview", "Participation", "Element scores", "Trend over the school years",
            "Pillars", "Prevention levels", "Certificates", "Most common priorities")


def build(app, tmp_path: Path, name: str = "overview.pdf", locale: str = "en", **changes) -> Path:
    with app.app_context(), force_locale(locale):
        pdf = build_overview_report(sample_overview(**changes))
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def pdf(app, tmp_path) -> Path:
    return build(app, tmp_path)


def test_overview_is_a_pdf_with_only_embedded_fonts(pdf):
    assert pdf.read_bytes().startswith(b"%PDF-")
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout.splitlines()
    emb = lines[0].index("emb")
    fonts = [(line.split()[0], line[emb:emb + 3].strip()) for line in lines[2:] if line.strip()]
    assert fonts, "pdffonts found no fonts"
    assert all(flag == "yes" for _, flag in fonts), fonts
    assert not any("Helvetica" in name or "Times" in name for name, _ in fonts)


def test_text_has_area_headings_hidden_marks_and_page_numbers(pdf):
    text = text_of(pdf)
    total = page_count(pdf)
    assert total >= 3
    assert AREA in text, "the area name (with & and <) was lost or mangled"
    for heading in HEADINGS:
        heading = heading % {"product": "Welbevinden in beeld"}
        assert heading in text, heading
    for year in YEARS:
        assert f"Distribution per school type, {year}" in text
    assert "protected" in text
    assert "Protected: alone or together" in text                    # one note for every protected cell
    assert "work out a hidden figure" not in text                    # no reason that tells 0 from 1–4
    assert "rests on at least 5 schools" in text                     # the privacy note on the cover
    assert "Pupils feel safe <script> & welcome" in text             # priorities, escaped not interpreted
    assert f"Page 1 of {total}" in text and f"Page {total} of {total}" in text
    assert "March 1, 2026" in text


def test_trend_table_shows_a_dash_for_the_hidden_year(pdf):
    text = text_of(pdf)
    row = next(line for line in text.splitlines() if line.strip().startswith(ELEMENTS[2]) and "61" in line)
    assert row.split()[-3:] == ["61", "–", "66"]


def test_pdf_trend_lines_never_join_points_across_a_hidden_year():
    """reportlab skips None but joins the points around it, so each unbroken run must be its own row."""
    chart = _trend_drawing(trends(), list(YEARS)).contents[0]
    runs = [[i for i, value in enumerate(row) if value is not None] for row in chart.data]
    assert runs == [[0, 1, 2], [1, 2], [0], [2]]       # 48-52-57; gap-60-64; 61-gap-66 as two runs
    assert chart.lines[2].strokeColor == chart.lines[3].strokeColor     # both runs draw the same series


def test_metadata_names_title_author_and_language(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert "Welbevinden in beeld" in info.split("Author:")[1].splitlines()[0]
    assert AREA in info.split("Title:")[1].splitlines()[0]
    assert b"/Lang (en)" in pdf.read_bytes()


def test_every_page_renders_and_is_not_blank(pdf, tmp_path):
    out = tmp_path / "png"
    out.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / "page")], check=True)
    pages = sorted(out.glob("page-*.png"))
    assert len(pages) == page_count(pdf)
    subprocess.run(["pdftoppm", "-gray", "-r", "30", str(pdf), str(out / "gray")], check=True)
    for pgm in sorted(out.glob("gray-*.pgm")):
        raw = pgm.read_bytes()
        pixels = raw[raw.index(b"255\n") + 4:]
        assert sum(1 for value in pixels if value < 200) > len(pixels) * 0.005, f"{pgm.name} is (nearly) blank"


def test_hidden_or_empty_priorities_say_why_instead_of_a_list(app, tmp_path):
    path = build(app, tmp_path, priorities=(), priorities_hidden=PROTECTED)
    text = text_of(path)
    assert "Protected: this area has fewer than 5 schools." in text
    assert "Pupils feel safe" not in text
    text = text_of(build(app, tmp_path, "e.pdf", priorities=(), priorities_hidden=None))
    assert "No statement was given a high priority by 5 or more schools." in text


def test_an_overview_without_any_figures_still_builds(app, tmp_path):
    empty = replace(sample_overview().participation, rows=())
    path = build(app, tmp_path, participation=empty, pillars=empty, prevention=empty, certificates=empty,
                 scores=(), trends=(), priorities=(), priorities_hidden=NO_SCHOOLS, kind="region")
    text = text_of(path)
    assert "GGD region" in text and AREA in text
    assert text.count("There is nothing to show yet.") >= 7          # the priorities too (NO_SCHOOLS)


def test_a_trend_with_only_hidden_years_and_one_lonely_point_builds(app, tmp_path):
    trends = (Trend("e0", "Only hidden", tuple(TrendPoint(y, None) for y in YEARS)),
              Trend("e1", "Lonely", (TrendPoint(YEARS[0], None), TrendPoint(YEARS[1], 55), TrendPoint(YEARS[2], None))))
    text = text_of(build(app, tmp_path, trends=trends))
    assert "Only hidden" in text and "Lonely" in text


def test_dutch_overview_uses_the_dutch_catalogue(app, tmp_path):
    path = build(app, tmp_path, "nl.pdf", locale="nl")
    with app.app_context(), force_locale("nl"):
        expected = [gettext(heading, product="Welbevinden in beeld") for heading in HEADINGS] + [gettext("protected")]
    text = text_of(path)
    for heading in expected:
        assert heading in text, heading
    assert "Welbevinden in beeld: overzicht" in text and "Welbevinden op school" not in text  # the footer
    assert b"/Lang (nl)" in path.read_bytes()
