"""Uptake of the local offer and its white spots, as upward data for the municipality.

Three steps, kept apart so the disclosure audit can check one against the other:

``compute`` (pure) turns public facts (which schools of which type a municipality has, its offer
items) and school facts (links to offer items, menu card activities the school carries out) into
``Cell`` values. ``offer.disclosure`` makes them tables of the monthly release (protected with the
other upward figures). ``figures`` and ``spots`` read what the release shows, nothing else.

Cell format (one integer per cell, each school counts 0 or 1, as the release tables expect):

- ``municipality_id``: the area;
- ``subject``: ``"matrix:<level>:<pillar>"`` (prevention level universal/selective/indicated ×
  Gezonde School pillar) or ``"item:<offer item id>"``;
- ``measure``: ``"uses"`` (a school links an activity or action to the offer there), ``"wishes"``
  (a school marked a wish for it) or, for matrix subjects only, ``"covered"`` (a school uses the
  offer there or marks a menu card activity of that level and pillar as done or wanted; why
  wanted counts too: ``offer.disclosure``);
- ``school_type``: ``po``, ``vo``, ``so``, ``mbo`` or ``"all"`` (the line's total);
- ``schools``: the number of schools of that type in the municipality (public: the DUO list);
- ``count``: how many of them have the measure (to be protected);
- ``possible``: False where no school of the type can have the measure (the municipality offers
  nothing there for the type, and for ``covered`` the menu card has nothing either). The count is
  then 0 by construction and public: no figure of the release, and no unknown to protect.

Every (municipality, subject, measure) is one line: the ``"all"`` cell is the sum of the type cells.
``as_release_values`` gives the same numbers keyed the way ``wellbeing/release`` keys its inner
cells, ``{(subject, measure): {(municipality_id, school_type): count}}``.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from wellbeing.pillars import PILLARS
from wellbeing.release.tables import ALL

LEVELS = ("universal", "selective", "indicated")
TYPES = ("po", "vo", "so", "mbo")
WHITE_SPOT = "white-spot"
PROTECTED = "protected"


@dataclass(frozen=True)
class SchoolFact:
    school_id: int
    municipality_id: int
    school_type: str


@dataclass(frozen=True)
class ItemFact:
    item_id: int
    municipality_ids: tuple[int, ...]
    level: str
    pillar: str
    school_types: tuple[str, ...]


@dataclass(frozen=True)
class LinkFact:
    school_id: int
    item_id: int
    kind: str                    # "uses" or "wish"


@dataclass(frozen=True)
class Doing:
    """A school does, or wants to do, a menu card activity of this level and pillar."""

    school_id: int
    level: str
    pillar: str


@dataclass(frozen=True)
class Cell:
    municipality_id: int
    subject: str
    measure: str
    school_type: str
    schools: int
    count: int
    possible: bool = True


def matrix_subject(level: str, pillar: str) -> str:
    return f"matrix:{level}:{pillar}"


def item_subject(item_id: int) -> str:
    return f"item:{item_id}"


def compute(schools: Iterable[SchoolFact], items: Iterable[ItemFact], links: Iterable[LinkFact],
            doing: Iterable[Doing], activity_types: Iterable[tuple[str, str, str]] = ()) -> list[Cell]:
    """Every uptake cell of every municipality in ``schools``. Pure.

    A link counts only where the school's municipality offers the item; types without schools in a
    municipality get no cells. ``activity_types`` lists (level, pillar, school type) for which the
    menu card (or a recognised intervention) has something a school can do: together with the
    offer it decides which cells can be non-zero at all (``Cell.possible``).
    """
    schools = list(schools)
    items = {i.item_id: i for i in items}
    activity_types = set(activity_types)
    school_of = {s.school_id: s for s in schools}
    per_type: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for school in schools:
        per_type[school.municipality_id][school.school_type].append(school.school_id)
    having: dict[tuple[int, str, str], set[int]] = defaultdict(set)    # (municipality, subject, measure) -> schools
    for link in links:
        school, item = school_of.get(link.school_id), items.get(link.item_id)
        if school is None or item is None or school.municipality_id not in item.municipality_ids:
            continue
        measure = "uses" if link.kind == "uses" else "wishes"
        having[(school.municipality_id, item_subject(item.item_id), measure)].add(school.school_id)
        matrix = matrix_subject(item.level, item.pillar)
        having[(school.municipality_id, matrix, measure)].add(school.school_id)
        if measure == "uses":
            having[(school.municipality_id, matrix, "covered")].add(school.school_id)
    for fact in doing:
        school = school_of.get(fact.school_id)
        if school is not None:
            having[(school.municipality_id, matrix_subject(fact.level, fact.pillar), "covered")].add(school.school_id)
    offered: dict[tuple[int, str], set[str]] = defaultdict(set)        # (municipality, subject) -> types served
    for item in items.values():
        for municipality in item.municipality_ids:
            offered[(municipality, item_subject(item.item_id))].update(item.school_types)
            offered[(municipality, matrix_subject(item.level, item.pillar))].update(item.school_types)
    lines = [(m, matrix_subject(level, pillar), measure) for m in per_type for level in LEVELS for pillar in PILLARS
             for measure in ("uses", "wishes", "covered")]
    lines += [(m, item_subject(i.item_id), measure) for i in items.values() for m in i.municipality_ids
              if m in per_type for measure in ("uses", "wishes")]
    cells = []
    for municipality, subject, measure in lines:
        members = having.get((municipality, subject, measure), set())
        possible_types = set(offered.get((municipality, subject), ()))
        if measure == "covered":
            _, level, pillar = subject.split(":")
            possible_types |= {t for t in TYPES if (level, pillar, t) in activity_types}
        total = possible_schools = 0
        for school_type in TYPES:
            ids = per_type[municipality].get(school_type)
            if not ids:
                continue
            count = len(members.intersection(ids))
            total += count
            possible = school_type in possible_types
            possible_schools += len(ids) if possible else 0
            cells.append(Cell(municipality, subject, measure, school_type, len(ids), count, possible))
        all_schools = sum(len(ids) for ids in per_type[municipality].values())
        cells.append(Cell(municipality, subject, measure, ALL, all_schools, total, possible_schools > 0))
    return cells


def as_release_values(cells: Iterable[Cell]) -> dict[tuple[str, str], dict[tuple[int, str], int]]:
    """The type cells as ``wellbeing/release`` inner values: per (subject, measure), (municipality
    id, school type) -> count. The ``"all"`` cells are sums of these."""
    values: dict[tuple[str, str], dict[tuple[int, str], int]] = defaultdict(dict)
    for cell in cells:
        if cell.school_type != ALL:
            values[(cell.subject, cell.measure)][(cell.municipality_id, cell.school_type)] = cell.count
    return dict(values)


@dataclass(frozen=True)
class Figure:
    """One uptake cell as the latest release shows it: ``shown`` is (lo, hi), equal for an exact
    count, a band otherwise ("0–1": none or one school); None when hidden. ``schools`` is how many
    schools can have it; ``possible`` False when none can (a known zero, shown as a dash)."""

    shown: tuple[int, int] | None
    schools: int
    possible: bool = True

    @property
    def hidden(self) -> bool:
        return self.possible and self.shown is None

    @property
    def text(self) -> str:
        if self.shown is None:
            return ""
        low, high = self.shown
        return str(low) if low == high else f"{low}–{high}"


IMPOSSIBLE = Figure(None, 0, False)


@dataclass(frozen=True)
class Spot:
    """One level × pillar × school type of a municipality, as the uptake page shows it."""

    level: str
    pillar: str
    school_type: str
    offer_items: int
    uses: Figure
    wishes: Figure
    covered: Figure

    @property
    def state(self) -> str | None:
        """``white-spot`` when there is no offer and the release says no school (or at most one, the
        band "0–1") covers it, or none can; ``protected`` when the release hides it; None otherwise."""
        if self.offer_items:
            return None
        if not self.covered.possible:
            return WHITE_SPOT
        if self.covered.shown is None:
            return PROTECTED
        return WHITE_SPOT if self.covered.shown[0] == 0 else None


def figures(payload: dict, year: str) -> dict[tuple[str, str], dict[str, Figure]]:
    """(subject, measure) -> column -> Figure, from a municipality's release payload."""
    prefix = f"{year}|uptake:"
    sizes = payload.get("sizes", {})
    result: dict[tuple[str, str], dict[str, Figure]] = {}
    for key, cells in payload.get("counts", {}).items():
        if not key.startswith(prefix):
            continue
        subject, _, measure = key[len(prefix):].rpartition(":")
        line = {column: Figure(tuple(shown) if shown else None, sizes.get(key, {}).get(column, 0))
                for column, shown in cells.items()}
        if ALL not in line and len(line) == 1:
            line[ALL] = next(iter(line.values()))      # one possible type: its total is the same figure
        result[(subject, measure)] = line
    return result


def spots(found: dict[tuple[str, str], dict[str, Figure]], items: Iterable[ItemFact], municipality_id: int,
          types: Iterable[str]) -> list[Spot]:
    """The matrix cells of one municipality, from released figures only, with its own offer beside
    them. ``types``: the school types the municipality has (public), without "all"."""
    items = [i for i in items if municipality_id in i.municipality_ids]
    result = []
    for level in LEVELS:
        for pillar in PILLARS:
            subject = matrix_subject(level, pillar)
            for school_type in (*types, ALL):
                offered = sum(1 for i in items if i.level == level and i.pillar == pillar
                              and (school_type == ALL or school_type in i.school_types))
                cells = {m: found.get((subject, m), {}).get(school_type, IMPOSSIBLE)
                         for m in ("uses", "wishes", "covered")}
                result.append(Spot(level, pillar, school_type, offered, **cells))
    return result
