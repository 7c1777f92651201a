"""A municipality's or region's overview as plain, already translated and already suppressed values:
what the page, its CSV export, its charts and its PDF all show. Nothing here names a school.

A hidden cell carries no value at all, only the reason, so no renderer can leak it by accident.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

ALL = "all"                        # the column over every school type
REST = "vo+so+mbo"                 # the merged column offered where single types must hide
PROTECTED = "protected"            # the one label of every hidden cell in a release, whatever the reason
FEW_SCHOOLS = "few-schools"        # primary suppression: the cell rests on too few schools
COMPLEMENTARY = "complementary"    # hidden so a primary cell cannot be worked out from the others
NO_SCHOOLS = "no-schools"          # there is nothing to count


@dataclass(frozen=True)
class CountCell:
    """How many of ``base`` schools have some property; both None when hidden. A band (``high``
    above ``count``) says the count lies between the two: releases never show "none" or "all"."""

    count: int | None
    base: int | None
    hidden: str | None = None
    high: int | None = None

    @property
    def share(self) -> float | None:
        """Percentage of the schools; the middle of the band for a band."""
        if self.hidden or not self.base:
            return None
        top = self.count if self.high is None else self.high
        return round(100 * (self.count + top) / 2 / self.base, 1)

    @property
    def figure(self) -> str:
        if self.high is not None and self.high != self.count:
            return f"{self.count}–{self.high}"
        return str(self.count)


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
    released_at: datetime | None = None     # when these figures were released
    next_release_on: date | None = None     # when they next change
    scored: CountTable | None = None        # schools with element scores, per school year
