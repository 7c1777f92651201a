"""The figures of a group of municipalities, derived from the members' released cells only.

The rule (stated on the group pages too): a group has no release of its own, and nothing here reads
school data. A group figure is

- a member's released figure, shown beside the other members' (medians, counts);
- the **sum** of the members' released counts, and only where every member's count is published:
  one protected member cell makes the group cell protected. A released band adds up to a band.
  Anyone holding the members' pages can add these numbers up, so the sum reveals nothing new;
- never a merged median: the middle of several schools' scores is not a sum of released figures,
  so a group shows each member's median, and a median target reads the range between the lowest and
  the highest member median.

Pure: ``combine`` takes the members' ``AreaFigures`` as read from releases.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from wellbeing.cycle.figures import AreaFigures, Count, Median


@dataclass
class GroupArea(AreaFigures):
    """Sums of the members' released counts; ``median`` is always None (medians are not merged):
    ``member_medians`` gives each member's released median instead."""

    members: list[AreaFigures] = field(default_factory=list)

    def median(self, year: str, element: str, column: str = "all") -> Median | None:
        return None

    def member_medians(self, year: str, element: str, column: str = "all") -> list[Median | None]:
        return [m.median(year, element, column) for m in self.members]


def add_up(cells: list[Count | None]) -> Count | None:
    """The sum of the members' released counts of one cell. None: no member has schools of the
    kind. Protected when any member's count is protected; a band when any member's is a band."""
    present = [c for c in cells if c is not None]
    if not present:
        return None
    base = sum(c.base for c in present)
    if any(c.hidden for c in present):
        return Count(None, None, base)
    return Count(sum(c.low for c in present), sum(c.high for c in present), base)


def combine(name: str, members: list[AreaFigures]) -> GroupArea:
    """The group's area: every (year, measure) that every member's releases carry, summed per
    column. A (year, measure) missing from one member (it was not in that year's release) gives no
    group figure at all, rather than a sum over part of the group."""
    group = GroupArea("g", name, members=members)
    if not members:
        return group
    keys = set(members[0].counts)
    for member in members[1:]:
        keys &= set(member.counts)
    for key in keys:
        columns = {column for member in members for column in member.counts[key]}
        summed = {column: add_up([member.counts[key].get(column) for member in members]) for column in columns}
        group.counts[key] = {column: count for column, count in summed.items() if count is not None}
    for member in members:
        for column, number in member.schools.items():
            group.schools[column] = group.schools.get(column, 0) + number
    return group


def median_range(medians: list[Median | None]) -> tuple[str, int, int]:
    """The lowest and highest member median, as ("range", low, high); ("none", 0, 0) when no member
    has a figure; ("protected", 0, 0) when any member's median is protected (the range would then
    stand for part of the group only, so none is given)."""
    present = [m for m in medians if m is not None]
    if not present:
        return "none", 0, 0
    if any(m.median is None for m in present):
        return "protected", 0, 0
    values = [m.median for m in present if m.median is not None]
    return "range", min(values), max(values)
