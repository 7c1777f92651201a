"""The Preventiematrix of one municipality: sectors × prevention levels (basis, extra, speciaal).

Filled automatically from what exists: the local offer (each item under its partner's kind and its
level) and, in the schools' row, the released count of schools using a recognised intervention at
that level (per school type, protected cells stay protected). The team adds what is still needed.
Pure: the caller passes in the offer items, the needs and the released figures.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from wellbeing.cycle.catalogue import LEVELS, SCHOOLS, SECTORS
from wellbeing.cycle.figures import AreaFigures, Count
from wellbeing.release.tables import ALL


@dataclass(frozen=True)
class Offer:
    title: str
    partner: str


@dataclass
class Cell:
    sector: str
    level: str
    offers: list[Offer] = field(default_factory=list)
    schools: list[tuple[str, Count]] = field(default_factory=list)   # (column, released count)
    needs: list = field(default_factory=list)                         # Need rows

    @property
    def empty(self) -> bool:
        return not (self.offers or self.needs or any(not c.hidden and c.high > 0 for _, c in self.schools))


@dataclass
class Row:
    sector: str
    cells: list[Cell]


def build(items, needs, area: AreaFigures, year: str) -> list[Row]:
    """``items``: offer items of the municipality (with ``partner``); ``needs``: its Need rows;
    ``area``: the municipality's released figures; ``year``: the school year of the school counts."""
    cells = {(s, v): Cell(s, v) for s in SECTORS for v in LEVELS}
    for item in items:
        kind = getattr(item.partner.kind, "value", item.partner.kind)
        cells[(kind, item.level)].offers.append(Offer(item.title, item.partner.name))
    for level in LEVELS:
        for column in (*area.types(), ALL):
            count = area.count(year, f"prevention:{level}", column)
            if count is not None:
                cells[(SCHOOLS, level)].schools.append((column, count))
    for need in needs:
        if (need.sector, need.level) in cells:
            cells[(need.sector, need.level)].needs.append(need)
    rows = []
    for sector in SECTORS:
        row = Row(sector, [cells[(sector, v)] for v in LEVELS])
        if sector == SCHOOLS or any(not c.empty for c in row.cells):
            rows.append(row)
    return rows
