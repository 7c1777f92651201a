"""The released figures the cycle shows, for a municipality beside its region and the country.

Every number comes from a release (``wellbeing/release``): audited against every earlier release
for exactly the attacker who holds all municipality, region and national pages, so showing the
region's and the country's cells to the officer publishes nothing new. Nothing is computed from
summaries here; a share is a released count over the public number of schools.

A figure of a school year is read from the newest release that publishes it: the current year's
counts (participation, vignet, pillars, prevention levels) from the last release made in that year,
the scores of earlier years from the latest release (which carries five years).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from sqlalchemy import func, select, tuple_

from wellbeing import db
from wellbeing.release.models import Release, ReleaseArea
from wellbeing.release.tables import ALL, TYPES

AREAS = ("m", "r", "n")


@dataclass(frozen=True)
class Count:
    """A released count of ``base`` schools: ``low``–``high`` (equal unless a band), or protected."""

    low: int | None
    high: int | None
    base: int

    @property
    def hidden(self) -> bool:
        return self.low is None

    @property
    def share_low(self) -> float | None:
        return None if self.hidden else 100 * self.low / self.base

    @property
    def share_high(self) -> float | None:
        return None if self.hidden else 100 * self.high / self.base

    @property
    def share(self) -> float | None:
        """The middle of the band, in per cent."""
        return None if self.hidden else (self.share_low + self.share_high) / 2

    @property
    def figure(self) -> str:
        if self.hidden:
            return ""
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


@dataclass(frozen=True)
class Median:
    """Released quartiles and median of an element score, or protected (all None)."""

    q1: int | None
    median: int | None
    q3: int | None

    @property
    def hidden(self) -> bool:
        return self.median is None


@dataclass
class AreaFigures:
    level: str                       # "m", "r" or "n"
    name: str
    counts: dict[tuple[str, str], dict[str, Count]] = field(default_factory=dict)   # (year, measure) -> column
    scores: dict[tuple[str, str], dict[str, Median]] = field(default_factory=dict)  # (year, element) -> column
    schools: dict[str, int] = field(default_factory=dict)   # the newest release's public school numbers
    #: the column ``count`` and ``median`` read unless told otherwise: all school types, or one
    column: str = ALL

    def count(self, year: str, measure: str, column: str | None = None) -> Count | None:
        """None: no figure (no schools of the kind, or nothing released for that year)."""
        return self.counts.get((year, measure), {}).get(column or self.column)

    def median(self, year: str, element: str, column: str | None = None) -> Median | None:
        return self.scores.get((year, element), {}).get(column or self.column)

    def types(self) -> tuple[str, ...]:
        return tuple(t for t in TYPES if self.schools.get(t))

    def of_type(self, column: str) -> AreaFigures:
        return replace(self, column=column)


@dataclass
class Figures:
    """A municipality, its region and the country, over the school years the releases hold."""

    years: tuple[str, ...]            # oldest first
    current: str                      # the latest release's school year
    released_at: object
    next_release_on: object
    areas: dict[str, AreaFigures]     # "m", "r", "n"; for a group "m" is the members' sums (group_figures)
    members: list[AreaFigures] = field(default_factory=list)   # a group's members, side by side

    @property
    def municipality(self) -> AreaFigures:
        return self.areas["m"]

    def of_type(self, column: str) -> Figures:
        """The same figures read for one school type (a released cell of its own: where the cell of
        all types must hide, that of one type often shows)."""
        return replace(self, areas={level: area.of_type(column) for level, area in self.areas.items()},
                       members=[member.of_type(column) for member in self.members])


def _releases() -> tuple[Release | None, list[int]]:
    """The latest release, and the newest release of each school year (newest first)."""
    latest = db.session.scalar(select(Release).order_by(Release.id.desc()).limit(1))
    if latest is None:
        return None, []
    ids = db.session.scalars(select(func.max(Release.id)).group_by(Release.school_year)).all()
    return latest, sorted(ids, reverse=True)


def load(municipality_id: int, region_id: int, names: dict[str, str]) -> Figures | None:
    """The released figures of the three areas; None before the first release. ``names``: level -> name."""
    found = load_areas([("m", municipality_id, names["m"]), ("r", region_id, names["r"]), ("n", 0, names["n"])])
    if found is None:
        return None
    latest, areas = found
    return figures_of(latest, {level: areas[0] for level, areas in areas.items()})


def load_areas(wanted: list[tuple[str, int, str]]) -> tuple[Release, dict[str, list[AreaFigures]]] | None:
    """The latest release and the released figures of each wanted (level, area id, name), grouped by
    level in the order asked; None before the first release."""
    latest, release_ids = _releases()
    if latest is None:
        return None
    rows = db.session.execute(
        select(ReleaseArea.release_id, ReleaseArea.level, ReleaseArea.area_id, ReleaseArea.payload)
        .where(ReleaseArea.release_id.in_(release_ids),
               tuple_(ReleaseArea.level, ReleaseArea.area_id).in_([(lv, i) for lv, i, _ in wanted]))).all()
    payloads: dict[tuple[str, int], list[tuple[int, dict]]] = {(lv, i): [] for lv, i, _ in wanted}
    for release_id, level, area_id, payload in rows:
        payloads[(level, area_id)].append((release_id, json.loads(payload)))
    areas: dict[str, list[AreaFigures]] = {}
    for level, area_id, name in wanted:
        areas.setdefault(level, []).append(
            read_area(level, name, sorted(payloads[(level, area_id)], key=lambda p: -p[0]), latest.id))
    return latest, areas


def figures_of(latest: Release, areas: dict[str, AreaFigures], members: list[AreaFigures] | None = None) -> Figures:
    members = members or []
    years = sorted({y for area in (*areas.values(), *members) for y, _ in (*area.counts, *area.scores)})
    return Figures(tuple(years), latest.school_year, latest.released_at, latest.next_release_on, areas, members)


def read_area(level: str, name: str, payloads: list[tuple[int, dict]], latest_id: int) -> AreaFigures:
    """Merge an area's payloads, newest release first: a figure comes from the newest that has it. Pure."""
    area = AreaFigures(level, name)
    for release_id, payload in payloads:
        schools = payload.get("schools", {})
        if release_id == latest_id:
            area.schools = dict(schools)
        for key, cells in payload.get("counts", {}).items():
            year, _, measure = key.partition("|")
            if measure.startswith("priority:") or (year, measure) in area.counts:
                continue
            area.counts[(year, measure)] = {
                column: Count(*(shown if shown is not None else (None, None)), schools[column])
                for column, shown in cells.items() if schools.get(column)}
        for key, cells in payload.get("scores", {}).items():
            year, _, element = key.partition("|")
            if (year, element) in area.scores:
                continue
            area.scores[(year, element)] = {column: Median(*(shown if shown is not None else (None, None, None)))
                                            for column, shown in cells.items()}
    return area
