"""The shape of every upward table: which published cell adds up which schools. Pure.

A count measure (finalised a round, valid vignet, a pillar, a prevention level, scored rounds of a
year, a priority) is one number per school: 0 or 1. Its *inner* cells are municipality × school
type; every published cell is the sum of a set of inner cells:

- ``("m", municipality, column)`` on the municipality's page,
- ``("r", region, column)`` on the region's page,
- ``("n", 0, column)`` on the national page,

with ``column`` a school type, ``REST`` (vo, so and mbo together: the merged cell offered where
single types must hide) or ``ALL``. The number of schools behind each cell is public (the DUO list of
school locations); the measure is what must be protected.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

TYPES = ("po", "vo", "so", "mbo")
REST = "vo+so+mbo"
ALL = "all"
COLUMNS = (*TYPES, REST, ALL)
LEVELS = ("m", "r", "n")

Inner = tuple[int, str]              # (municipality id, school type)
Cell = tuple[str, int, str]          # (level, area id, column); area id 0 for the nation


def column_types(column: str) -> tuple[str, ...]:
    if column == ALL:
        return TYPES
    if column == REST:
        return TYPES[1:]
    return (column,)


@dataclass(frozen=True)
class Geography:
    """Public facts: where each municipality lies and how many schools of each type it has."""

    region_of: dict[int, int]
    schools: dict[Inner, int]        # only cells with at least one school
    _members: dict = field(default_factory=dict, compare=False, repr=False)

    def regions(self) -> list[int]:
        return sorted(set(self.region_of.values()))

    def members(self, cell: Cell) -> tuple[Inner, ...]:
        """The inner cells (with schools) a published cell adds up."""
        found = self._members.get(cell)
        if found is None:
            if not self._members:
                self._index()
            level, area, column = cell
            types = column_types(column)
            found = tuple(key for key in self._members.get((level, area), ()) if key[1] in types)
            self._members[cell] = found
        return found

    def _index(self) -> None:
        """Inner cells per area, so a cell's members are found without scanning the country."""
        areas: dict = {("n", 0): []}
        for key in sorted(self.schools):
            areas.setdefault(("m", key[0]), []).append(key)
            areas.setdefault(("r", self.region_of[key[0]]), []).append(key)
            areas[("n", 0)].append(key)
        self._members.update(areas)

    def member_set(self, cell: Cell) -> frozenset[Inner]:
        key = ("set", cell)
        found = self._members.get(key)
        if found is None:
            found = self._members[key] = frozenset(self.members(cell))
        return found

    def size(self, cell: Cell) -> int:
        key = ("size", cell)
        found = self._members.get(key)
        if found is None:
            found = self._members[key] = sum(self.schools[inner] for inner in self.members(cell))
        return found

    def cells(self, columns: Iterable[str] = COLUMNS, minimum: int = 0, levels: Iterable[str] = LEVELS) -> list[Cell]:
        """Every cell that exists: at least one school, and a merged cell only where it merges
        two types or more and rests on ``minimum`` schools (otherwise it is no figure at all).
        ``levels``: the pages that show the measure (uptake is shown on municipality pages only)."""
        result = []
        areas = ([("m", m) for m in sorted(self.region_of)] + [("r", r) for r in self.regions()] + [("n", 0)])
        areas = [a for a in areas if a[0] in levels]
        for level, area in areas:
            for column in columns:
                cell = (level, area, column)
                members = self.members(cell)
                if not members:
                    continue
                if column == REST and (len({t for _, t in members}) < 2 or self.size(cell) < minimum):
                    continue
                result.append(cell)
        return result


def region_of_cell(geography: Geography, cell: Cell) -> int | None:
    """The region whose page (or municipality pages) show the cell; None for national cells."""
    level, area, _ = cell
    if level == "m":
        return geography.region_of[area]
    return area if level == "r" else None


def band(value: int, schools: int) -> tuple[int, int]:
    """The published interval of a shown count: exact, except that 0 and 1 are both shown as "0–1"
    and ``schools - 1`` and ``schools`` as "n-1–n". A total of none or all of the schools would pin
    every cell beneath it (and say something about every school in it); so "none" and "all" are
    never published as such, and an attacker cannot tell them from their neighbour."""
    if value <= 1:
        return (0, 1)
    if value >= schools - 1:
        return (schools - 1, schools)
    return (value, value)


#: Upper and lower protection level of a hidden cell, in schools: the attacker's interval must reach
#: at least this far below and above the true count (within 0..N). One school is what separates
#: "this school has it" from "it has not"; a wider level on cells of many schools would only hide
#: more cells without protecting any school more (every school sits in an inner cell, and no inner
#: cell may be pinned to none or all of its schools, whatever its level).
PROTECTION = 1
