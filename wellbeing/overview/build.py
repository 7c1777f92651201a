"""Build an ``Overview`` from per-school summary records: pure, so suppression is testable.

All figures for a municipality are computed from the suppression pattern of its whole region, so a
municipality page, the region page and their exports hide the same cells and one cannot be used to
work out what the other hides.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from statistics import quantiles

from wellbeing.overview.data import (
    ALL,
    FEW_SCHOOLS,
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
from wellbeing.overview.suppression import Pattern, protect, protect_line, protect_over
from wellbeing.pillars import PILLARS

SCHOOL_TYPES = ("po", "vo", "so", "mbo")
PREVENTION = ("universal", "selective", "indicated")


@dataclass(frozen=True)
class SchoolRecord:
    municipality_id: int
    school_type: str
    finalised_this_year: bool = False
    pillars: frozenset[str] = frozenset()
    prevention: frozenset[str] = frozenset()
    certificate_valid: bool = False


@dataclass(frozen=True)
class RoundRecord:
    school_key: Hashable          # identifies the school within this computation only
    municipality_id: int
    school_type: str
    school_year: str
    scores: dict[str, float] = field(default_factory=dict)  # empty when below the respondent threshold
    priorities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Labels:
    """Translated texts the overview needs, handed in so this module stays pure."""

    type_labels: dict[str, str]
    elements: dict[str, str]                        # element id -> title, in checklist order
    statements: dict[str, tuple[str, str]]          # item id -> (statement, element title)
    participation: str
    pillar_labels: dict[str, str]
    prevention_labels: dict[str, str]
    certificates: str
    titles: dict[str, str]                          # table key -> title


@dataclass(frozen=True)
class Area:
    kind: str                   # "municipality" or "region"
    name: str
    municipality_id: int | None  # None for the region


def build(area: Area, schools: list[SchoolRecord], rounds: list[RoundRecord], years: list[str],
          current_year: str, minimum: int, labels: Labels, today: date) -> Overview:
    """``schools`` and ``rounds`` cover the whole region, whatever the area."""
    row = area.municipality_id if area.kind == "municipality" else ALL
    area_schools = [s for s in schools if row == ALL or s.municipality_id == row]
    types = tuple(t for t in SCHOOL_TYPES if any(s.school_type == t for s in area_schools))
    pattern = protect(Counter((s.municipality_id, s.school_type) for s in schools), minimum)

    def counts(key: str, measures: list[tuple[str, Callable[[SchoolRecord], bool]]]) -> CountTable:
        return CountTable(labels.titles[key], tuple(CountRow(label, _count_cells(pattern, schools, row, types, test))
                                                    for label, test in measures))

    scores = tuple(_year_scores(rounds, year, row, types, minimum, labels) for year in years)
    priorities, priorities_hidden = _priorities(rounds, row, minimum, labels, current_year)
    return _assemble(area.kind, area.name, current_year, minimum, today, types, labels, area_schools, counts,
                     scores, priorities, priorities_hidden)


def _assemble(kind: str, name: str, current_year: str, minimum: int, today: date, types: tuple[str, ...],
              labels: Labels, area_schools: list[SchoolRecord], counts: Callable[..., CountTable],
              scores: tuple[YearScores, ...], priorities: tuple, priorities_hidden) -> Overview:
    """The one assembler of an overview page (municipality, region or national): the same tables in the
    same order, each count table made by ``counts(key, measures)`` under the area's own protection."""
    return Overview(
        kind=kind, area_name=name, school_year=current_year, minimum=minimum, generated_on=today,
        types=types, type_labels=labels.type_labels,
        schools={**{t: sum(1 for s in area_schools if s.school_type == t) for t in types}, ALL: len(area_schools)},
        participation=counts("participation", [(labels.participation, lambda s: s.finalised_this_year)]),
        pillars=counts("pillars", [(labels.pillar_labels[p], lambda s, p=p: p in s.pillars) for p in PILLARS]),
        prevention=counts("prevention", [(labels.prevention_labels[v], lambda s, v=v: v in s.prevention)
                                         for v in PREVENTION]),
        certificates=counts("certificates", [(labels.certificates, lambda s: s.certificate_valid)]),
        scores=scores, trends=_trends(scores, labels), priorities=priorities, priorities_hidden=priorities_hidden)


def _count_cells(pattern: Pattern, schools: list[SchoolRecord], row, types, test) -> dict[str, CountCell]:
    cells = {}
    for column in (*types, ALL):
        key = (row, column)
        reason = pattern.reason(key)
        if reason:
            cells[column] = CountCell(None, None, reason)
            continue
        group = [s for s in schools if (row == ALL or s.municipality_id == row)
                 and (column == ALL or s.school_type == column)]
        cells[column] = CountCell(sum(1 for s in group if test(s)), len(group))
    return cells


def _distribution(values: list[float]) -> Distribution:
    if len(values) == 1:
        return Distribution(1, values[0], values[0], values[0])
    q1, median, q3 = quantiles(values, n=4, method="inclusive")
    return Distribution(len(values), round(q1, 1), round(median, 1), round(q3, 1))


def _year_scores(rounds, year: str, row, types, minimum: int, labels: Labels) -> YearScores:
    """Per element its own pattern: an element only some school types have (mbo's equal opportunities)
    rests on fewer schools than the others, and its "all types" cell must not equal a hidden one."""
    scored = [r for r in rounds if r.school_year == year and r.scores]
    result = []
    for element, title in labels.elements.items():
        having = [r for r in scored if element in r.scores]
        if not having:
            continue
        pattern = _protect_cached(tuple(sorted(Counter((r.municipality_id, r.school_type) for r in having).items(),
                                                 key=str)), minimum)
        cells = {}
        for column in (*types, ALL):
            reason = pattern.reason((row, column))
            if reason:
                cells[column] = Distribution(None, None, None, None, reason)
                continue
            cells[column] = _distribution([r.scores[element] for r in having
                                           if (row == ALL or r.municipality_id == row)
                                           and (column == ALL or r.school_type == column)])
        result.append(ScoreRow(element, title, cells))
    return YearScores(year, tuple(result))


@lru_cache(maxsize=256)
def _protect_cached(counts: tuple, minimum: int) -> Pattern:
    """Most elements of a year rest on the same schools: compute their pattern once."""
    return protect(dict(counts), minimum)


def _trends(scores: tuple[YearScores, ...], labels: Labels) -> tuple[Trend, ...]:
    """The median over all school types per year; a hidden year stays a gap, never a difference."""
    trends = []
    for element, title in labels.elements.items():
        points = []
        for year in scores:
            row = next((r for r in year.rows if r.element_id == element), None)
            cell = row.cells.get(ALL) if row else None
            points.append(TrendPoint(year.school_year, cell.median if cell and not cell.hidden else None))
        if any(p.median is not None for p in points):
            trends.append(Trend(element, title, tuple(points)))
    return tuple(trends)


def _priorities(rounds, row, minimum: int, labels: Labels, current_year: str):
    """Statements most often given a high priority, from each school's latest finalised round of this
    or the previous school year. A statement is listed only when at least ``minimum`` schools chose it;
    on the region page also only when no municipality's small count can be worked out from it."""
    previous = f"{int(current_year[:4]) - 1}-{current_year[:4]}"
    latest: dict[Hashable, RoundRecord] = {}
    for record in sorted((r for r in rounds if r.school_year in (previous, current_year)),
                         key=lambda r: r.school_year):
        latest[record.school_key] = record
    in_area = [r for r in latest.values() if row == ALL or r.municipality_id == row]
    if len(in_area) < minimum:
        return (), FEW_SCHOOLS
    per_municipality: dict[str, Counter] = defaultdict(Counter)
    for record in latest.values():
        for item in record.priorities:
            per_municipality[item][record.municipality_id] += 1
    listed = []
    for item, by_municipality in per_municipality.items():
        count = by_municipality[row] if row != ALL else sum(by_municipality.values())
        if count < minimum or item not in labels.statements:
            continue
        if row == ALL and not protect_line(by_municipality, minimum):
            continue
        statement, element = labels.statements[item]
        listed.append(PriorityCount(statement, element, count))
    listed.sort(key=lambda p: (-p.schools, p.statement))
    return tuple(listed[:10]), None


def build_national(name: str, region_of: dict[int, int], schools: list[SchoolRecord], rounds: list[RoundRecord],
                   years: list[str], current_year: str, minimum: int, labels: Labels, today: date) -> Overview:
    """The whole country, for platform administrators: per school type and in total.

    Its cells add up the regions' cells, which region pages already publish or hide. So the national
    table is (region × school type) with each region's cells fixed at its own page's status, and
    only the national cells may be hidden additionally, until no small cell of any region or
    municipality follows from all pages together (``suppression.protect_over``). Priorities are left
    to the regions.
    """
    types = tuple(t for t in SCHOOL_TYPES if any(s.school_type == t for s in schools))

    def national_pattern(groups: list[tuple[int, str]]) -> Pattern:
        per_region: dict[int, Counter] = defaultdict(Counter)
        for municipality, school_type in groups:
            per_region[region_of[municipality]][(municipality, school_type)] += 1
        inner: dict = {}
        for region, counts in per_region.items():
            for (_, school_type), n in counts.items():
                inner[(region, school_type)] = inner.get((region, school_type), 0) + n
        return protect_over(inner, minimum, {region: _protect_cached(tuple(sorted(counts.items(), key=str)), minimum)
                                             for region, counts in per_region.items()})

    pattern = national_pattern([(s.municipality_id, s.school_type) for s in schools])

    def counts(key: str, measures) -> CountTable:
        return CountTable(labels.titles[key], tuple(CountRow(label, _count_cells(pattern, schools, ALL, types, test))
                                                    for label, test in measures))

    scores = []
    for year in years:
        scored = [r for r in rounds if r.school_year == year and r.scores]
        rows = []
        for element, title in labels.elements.items():
            having = [r for r in scored if element in r.scores]
            if not having:
                continue
            year_pattern = national_pattern([(r.municipality_id, r.school_type) for r in having])
            rows.append(ScoreRow(element, title, {
                column: Distribution(None, None, None, None, year_pattern.reason((ALL, column)))
                if year_pattern.reason((ALL, column)) else
                _distribution([r.scores[element] for r in having if column == ALL or r.school_type == column])
                for column in (*types, ALL)}))
        scores.append(YearScores(year, tuple(rows)))
    return _assemble("national", name, current_year, minimum, today, types, labels, schools, counts,
                     tuple(scores), (), None)
