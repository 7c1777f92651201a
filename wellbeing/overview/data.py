"""A municipality's or region's overview as plain, already translated and already suppressed values:
what the page, its CSV export, its charts and its PDF all show. Nothing here names a school.

A hidden cell carries no value at all, only the reason, so no renderer can leak it by accident.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

ALL = "all"                        # the column over every school type
FEW_SCHOOLS = "few-schools"        # primary suppression: the cell rests on too few schools
COMPLEMENTARY = "complementary"    # hidden so a primary cell cannot be worked out from the others
NO_SCHOOLS = "no-schools"          # there is nothing to count


@dataclass(frozen=True)
class CountCell:
    """How many of ``base`` schools have some property; both None when hidden."""

    count: int | None
    base: int | None
    hidden: str | None = None

    @property
    def share(self) -> float | None:
        if self.hidden or not self.base:
            return None
        return round(100 * self.count / self.base, 1)


@dataclass(frozen=True)
class CountRow:
    label: str
    cells: dict[str, CountCell]    # school type (or ALL) -> cell


@dataclass(frozen=True)
class CountTable:
    title: str
    rows: tuple[CountRow, ...]


@dataclass(frozen=True)
class Distribution:
    """Element scores (0–100) of ``n`` schools: quartiles and median, never single values."""

    n: int | None
    q1: float | None
    median: float | None
    q3: float | None
    hidden: str | None = None


@dataclass(frozen=True)
class ScoreRow:
    element_id: str
    title: str
    cells: dict[str, Distribution]  # school type (or ALL) -> distribution


@dataclass(frozen=True)
class YearScores:
    school_year: str
    rows: tuple[ScoreRow, ...]


@dataclass(frozen=True)
class TrendPoint:
    school_year: str
    median: float | None           # None when that year's cell is hidden or empty


@dataclass(frozen=True)
class Trend:
    element_id: str
    title: str
    points: tuple[TrendPoint, ...]  # all school types together, oldest first


@dataclass(frozen=True)
class PriorityCount:
    statement: str
    element: str
    schools: int


@dataclass(frozen=True)
class Overview:
    kind: str                      # "municipality" or "region"
    area_name: str
    school_year: str               # the current school year
    minimum: int                   # schools a cell needs
    generated_on: date
    types: tuple[str, ...]         # school types present, in order (po, vo, so, mbo)
    type_labels: dict[str, str]    # school type (and ALL) -> translated label
    schools: dict[str, int]        # school type (and ALL) -> number of schools (public register figures)
    participation: CountTable      # finalised round this school year
    pillars: CountTable            # doing at least one activity, per pillar
    prevention: CountTable         # using a recognised intervention, per prevention level
    certificates: CountTable       # a valid vignet
    scores: tuple[YearScores, ...]  # oldest first
    trends: tuple[Trend, ...]
    priorities: tuple[PriorityCount, ...]
    priorities_hidden: str | None  # reason when the whole list is hidden
