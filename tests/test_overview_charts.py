"""Do the overview's SVG charts stay well-formed, accessible and silent about hidden cells?

The sample overview is built by hand: three school types, three school years, hidden cells of both
reasons, a school type without schools, a trend with a hidden year, and labels with markup in them.
``sample_overview`` is shared with the PDF tests.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from wellbeing.overview.charts import coverage_chart, score_chart, trend_chart
from wellbeing.overview.data import (
    ALL,
    COMPLEMENTARY,
    FEW_SCHOOLS,
    NO_SCHOOLS,
    CountCell,
    CountRow,
    CountTable,
    Distribution,
    Overview,
    PriorityCount,
    ScoreRow,
    Trend,
    TrendPoint,
    YearScores,
)

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
TYPES = ("po", "vo", "so")
HOSTILE = "Speciaal <script>alert(1)</script> & vso"
LABELS = {"po": "Primary", "vo": "Secondary", "so": HOSTILE, ALL: "All types"}
YEARS = ("2023-2024", "2024-2025", "2025-2026")
ELEMENTS = ("Vision & policy <b>", "Positive pedagogical climate", "Monitoring, signalling and fitting support")
AREA = "Gemeente Súdwest-Fryslân & <Omstreken>"


def hidden(reason: str) -> CountCell:
    return CountCell(None, None, reason)


def count_table(title: str, labels: tuple[str, ...]) -> CountTable:
    """Row 0 complete; row 1 hides vo as too few schools and so as its complement; so has no schools in row 2."""
    rows = []
    for i, label in enumerate(labels):
        cells = {"po": CountCell(12 + i, 20, None), "vo": CountCell(5, 8, None), "so": CountCell(3, 5, None),
                 ALL: CountCell(20 + i, 33, None)}
        if i == 1:
            cells.update(vo=hidden(FEW_SCHOOLS), so=hidden(COMPLEMENTARY))
        if i == 2:
            cells.update(so=CountCell(None, None, NO_SCHOOLS), po=CountCell(20, 20, None))
        rows.append(CountRow(label, cells))
    return CountTable(title, tuple(rows))


def distribution(base: float, n: int = 9) -> Distribution:
    return Distribution(n, base - 8, base, base + 7)


def year_scores(year_index: int) -> YearScores:
    rows = []
    for e, title in enumerate(ELEMENTS):
        base = 45 + 8 * e + 4 * year_index
        cells = {"po": distribution(base), "vo": distribution(base + 3, 6), "so": distribution(base - 5, 5),
                 ALL: distribution(base + 1, 20)}
        if e == 1:
            cells.update(vo=Distribution(None, None, None, None, FEW_SCHOOLS),
                         so=Distribution(None, None, None, None, COMPLEMENTARY))
        rows.append(ScoreRow(f"e{e}", title, cells))
    return YearScores(YEARS[year_index], tuple(rows))


def trends() -> tuple[Trend, ...]:
    medians = ((48, 52, 57), (None, 60, 64), (61, None, 66))   # the last one has a hidden middle year
    return tuple(Trend(f"e{e}", ELEMENTS[e], tuple(TrendPoint(y, m) for y, m in zip(YEARS, values)))
                 for e, values in enumerate(medians))


def sample_overview(**changes) -> Overview:
    fields = {
        "kind": "municipality", "area_name": AREA, "school_year": YEARS[-1], "minimum": 5,
        "generated_on": date(2026, 3, 1), "types": TYPES, "type_labels": LABELS,
        "schools": {"po": 20, "vo": 8, "so": 5, ALL: 33},
        "participation": count_table("Finalised a round", ("Finalised a round in 2025-2026",)),
        "pillars": count_table("Pillars", ("Education & <lessons>", "Signalling", "Environment", "Policy")),
        "prevention": count_table("Prevention", ("Universal", "Selective", "Indicated")),
        "certificates": count_table("Certificates", ("Valid vignet Welbevinden",)),
        "scores": tuple(year_scores(i) for i in range(len(YEARS))), "trends": trends(),
        "priorities": (PriorityCount("Pupils feel safe <script> & welcome", ELEMENTS[1], 7),
                       PriorityCount("Staff recognise signals of bullying", ELEMENTS[2], 5)),
        "priorities_hidden": None}
    fields.update(changes)
    return Overview(**fields)


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def cells(root: ET.Element, row: int, key: str) -> ET.Element:
    found = [g for g in root.iter(f"{SVG}g") if g.get("class") == "cell" and g.get("data-row") == str(row)
             and g.get("data-type") == key]
    assert len(found) == 1, (row, key)
    return found[0]


def shapes(group: ET.Element, cls: str) -> list[ET.Element]:
    return [e for e in group.iter() if (e.get("class") or "") == cls]


def all_charts() -> list[str]:
    data = sample_overview()
    return [coverage_chart(data.pillars, data.types, data.type_labels, "Pillars & <more>"),
            score_chart(data.scores[-1], data.types, data.type_labels, "Scores 2025-2026 & <b>"),
            trend_chart(data.trends, "Trend & <b>")]


@pytest.mark.parametrize("index", range(3))
def test_every_chart_is_well_formed_svg_with_title_desc_and_img_role(index):
    markup = all_charts()[index]
    root = parse(markup)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.get("viewBox", "").startswith("0 0 ") and root.get("width") == "100%"
    title, desc = root.find("svg:title", NS), root.find("svg:desc", NS)
    assert title is not None and desc is not None and "&" in title.text and "<" in title.text
    assert "table below" in desc.text
    assert root.get("aria-labelledby") == title.get("id") and root.get("aria-describedby") == desc.get("id")
    assert root.get("font-family") == "inherit" and root.get("class") == "chart"
    # No style attribute anywhere: the app's Content-Security-Policy refuses inline styles.
    assert not [element.tag for element in root.iter() if element.get("style") is not None]


@pytest.mark.parametrize("index", range(3))
def test_labels_from_data_are_escaped_not_markup(index):
    markup = str(all_charts()[index])
    assert "<script>" not in markup and "<b>" not in markup and "<Omstreken>" not in markup
    root = parse(markup)
    assert not list(root.iter(f"{SVG}script")) and not list(root.iter("script"))
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))   # wrapped labels join with spaces
    assert (HOSTILE if index < 2 else "Vision & policy <b>") in texts


def test_coverage_chart_draws_one_bar_per_visible_cell_and_none_for_hidden_ones():
    data = sample_overview()
    root = parse(coverage_chart(data.pillars, data.types, data.type_labels, "Pillars"))
    for key in (*TYPES, ALL):
        group = cells(root, 0, key)
        assert len(shapes(group, "bar")) == 1 and not shapes(group, "hidden-cell")
    for key in ("vo", "so"):                       # FEW_SCHOOLS and COMPLEMENTARY
        group = cells(root, 1, key)
        assert not shapes(group, "bar"), key
        assert len(shapes(group, "hidden-cell")) == 1
        assert "hidden" in "".join(group.itertext())
    empty = cells(root, 2, "so")                   # NO_SCHOOLS: nothing hidden, nothing drawn
    assert not shapes(empty, "bar") and not shapes(empty, "hidden-cell")
    assert "no schools" in "".join(empty.itertext())
    # All hidden placeholders have the same size, so none tells anything about its value.
    sizes = {(r.get("width"), r.get("height")) for r in root.iter(f"{SVG}rect") if r.get("class") == "hidden-cell"}
    assert len(sizes) == 1


def test_coverage_bar_length_follows_the_share():
    data = sample_overview()
    root = parse(coverage_chart(data.pillars, data.types, data.type_labels, "Pillars"))
    full = float(shapes(cells(root, 2, "po"), "bar")[0].get("width"))          # 20 of 20
    part = float(shapes(cells(root, 0, "po"), "bar")[0].get("width"))          # 12 of 20
    assert part == pytest.approx(full * 0.6, rel=0.01)
    legend = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Primary" in legend and "All types" in legend and "hidden" in legend


def test_score_chart_draws_a_box_and_median_per_visible_cell_and_none_for_hidden_ones():
    data = sample_overview()
    root = parse(score_chart(data.scores[0], data.types, data.type_labels, "Scores"))
    for key in (*TYPES, ALL):
        group = cells(root, 0, key)
        assert len(shapes(group, "box")) == 1 and len(shapes(group, "median")) == 1
    for key in ("vo", "so"):
        group = cells(root, 1, key)
        assert not shapes(group, "box") and not shapes(group, "median")
        assert not [e for e in group.iter() if e.tag in (f"{SVG}line", f"{SVG}polygon")]
        assert len(shapes(group, "hidden-cell")) == 1 and "hidden" in "".join(group.itertext())


def test_score_box_spans_the_quartiles_and_the_median_sits_inside():
    data = sample_overview()
    root = parse(score_chart(data.scores[0], data.types, data.type_labels, "Scores"))
    group = shapes(cells(root, 0, "po"), "box")[0]
    box = next(r for r in group.iter(f"{SVG}rect") if r.get("class") != "median")
    median = shapes(group, "median")[0]
    left, width = float(box.get("x")), float(box.get("width"))
    middle = float(median.get("x")) + float(median.get("width")) / 2
    assert left < middle < left + width
    assert width / (8 + 7) == pytest.approx((middle - left) / 8, rel=0.05)     # q1 = m - 8, q3 = m + 7


def test_trend_lines_break_at_a_hidden_year_and_never_bridge_it():
    root = parse(trend_chart(trends(), "Trend"))
    lines = {}
    for path in root.iter(f"{SVG}path"):
        if path.get("class") == "trend-line":
            lines.setdefault(path.get("data-series"), []).append(path.get("d"))
    assert len(lines["0"]) == 1 and lines["0"][0].count("L") == 2          # three years joined
    assert len(lines["1"]) == 1 and lines["1"][0].count("L") == 1          # first year missing
    assert "2" not in lines                                                 # 61, gap, 66: no line at all
    points = [g for g in root.iter(f"{SVG}g") if g.get("class") == "trend-point"]
    assert [g.get("data-year") for g in points if g.get("data-series") == "2"] == ["2023-2024", "2025-2026"]
    assert [g.get("data-year") for g in points if g.get("data-series") == "1"] == ["2024-2025", "2025-2026"]


def test_trend_series_differ_by_marker_and_dash_not_only_by_colour():
    root = parse(trend_chart(trends(), "Trend"))
    shapes_by_series = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "trend-point":
            shape = next(c for c in g if c.tag != f"{SVG}title")
            shapes_by_series.setdefault(g.get("data-series"), set()).add((shape.tag, shape.get("points") is None))
    marker_kinds = {frozenset(s) for s in shapes_by_series.values()}
    assert len(shapes_by_series) == 3 and all(len(s) == 1 for s in shapes_by_series.values())
    assert len(marker_kinds) == 3          # circle, square, polygon
    dashes = {p.get("data-series"): p.get("stroke-dasharray") for p in root.iter(f"{SVG}path")
              if p.get("class") == "trend-line"}
    assert dashes["0"] != dashes["1"]


def test_charts_without_data_still_render_a_labelled_svg():
    empty = CountTable("Nothing", ())
    for markup in (coverage_chart(empty, TYPES, LABELS, "Empty"), score_chart(YearScores("2025-2026", ()), TYPES,
                                                                              LABELS, "Empty"),
                   trend_chart((), "Empty")):
        root = parse(markup)
        assert root.find("svg:title", NS).text == "Empty"
        assert "nothing to show" in " ".join(t.text or "" for t in root.iter(f"{SVG}text"))


def test_two_charts_with_different_content_get_different_ids():
    data = sample_overview()
    a = parse(coverage_chart(data.pillars, data.types, data.type_labels, "Same"))
    b = parse(coverage_chart(data.prevention, data.types, data.type_labels, "Same"))
    c = parse(coverage_chart(data.prevention, data.types, data.type_labels, "Same", uid="mine"))
    assert a.get("aria-labelledby") != b.get("aria-labelledby")
    assert c.get("aria-labelledby") == "mine-title"
