"""Uptake of the local offer and its white spots, as upward data for the municipality.

Two steps, kept apart so the disclosure audit can check one against the other:

``compute`` (pure) turns public facts (which schools of which type a municipality has, its offer
items) and school facts (links to offer items, menu card activities the school carries out) into
``Cell`` values. ``publish`` is the one place that decides what of them may be shown.

Cell format (one integer per cell, each school counts 0 or 1, as the release tables expect):

- ``municipality_id``: the area;
- ``subject``: ``"matrix:<level>:<pillar>"`` (prevention level universal/selective/indicated ×
  Gezonde School pillar) or ``"item:<offer item id>"``;
- ``measure``: ``"uses"`` (a school links an activity or action to the offer there), ``"wishes"``
  (a school marked a wish for it) or, for matrix subjects only, ``"covered"`` (a school uses the
  offer there or carries out a menu card activity of that level and pillar);
- ``school_type``: ``po``, ``vo``, ``so``, ``mbo`` or ``"all"`` (the line's total);
- ``schools``: the number of schools of that type in the municipality (public: the DUO list);
- ``count``: how many of them have the measure (to be protected);
- ``possible``: False where no school of the type can have the measure (the municipality offers
  nothing there for the type, and for ``covered`` the menu card has nothing either). The count is
  then 0 by construction, public, and outside the line's protection.

Every (municipality, subject, measure) is one line: the ``"all"`` cell is the sum of the type cells.
``as_release_values`` gives the same numbers keyed the way ``wellbeing/release`` keys its inner
cells, ``{(subject, measure): {(municipality_id, school_type): count}}``.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from wellbeing.overview.data import ALL, NO_SCHOOLS
from wellbeing.overview.suppression import protect
from wellbeing.pillars import PILLARS

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
    """A school carries out a menu card activity of this level and pillar."""

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


@dataclass(frozen=True)
class Published:
    """A cell as it may be shown: ``count`` is None when hidden, and ``hidden`` says why."""

    municipality_id: int
    subject: str
    measure: str
    school_type: str
    schools: int
    count: int | None
    hidden: str | None = None
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


def publish(cells: Iterable[Cell], minimum: int) -> list[Published]:
    """What may be shown of ``cells``: the current threshold rule of the overview pages.

    Each (municipality, subject, measure) is one line, a total over its school types. Types that
    cannot have the measure (no offer and no menu card activity there: public knowledge, so their 0
    is too) are shown as such and left out of the line. Over the other types, a cell resting on
    fewer than ``minimum`` schools is hidden, and ``overview.suppression.protect`` hides more so no
    hidden cell follows from a shown total (and hidden cells of a line with a shown total rest on at
    least ``minimum`` schools together). The pattern depends only on the public school counts and
    on which types a line covers, never on the counts it protects.
    """
    lines: dict[tuple[int, str, str], list[Cell]] = defaultdict(list)
    for cell in cells:
        lines[(cell.municipality_id, cell.subject, cell.measure)].append(cell)
    patterns: dict[frozenset, object] = {}
    published = []
    for line in lines.values():
        sizes = {(0, c.school_type): c.schools for c in line if c.school_type != ALL and c.possible}
        key = frozenset(sizes.items())
        if key not in patterns:
            patterns[key] = protect(sizes, minimum) if sizes else None
        pattern = patterns[key]
        for cell in line:
            if not cell.possible:
                reason = None
            else:
                reason = pattern.reason((0, cell.school_type))
                if reason == NO_SCHOOLS:
                    reason = None if cell.schools else NO_SCHOOLS
            published.append(Published(cell.municipality_id, cell.subject, cell.measure, cell.school_type,
                                       cell.schools, None if reason else cell.count, reason, cell.possible))
    return published


def as_release_values(cells: Iterable[Cell]) -> dict[tuple[str, str], dict[tuple[int, str], int]]:
    """The type cells as ``wellbeing/release`` inner values: per (subject, measure), (municipality
    id, school type) -> count. The ``"all"`` cells are sums of these."""
    values: dict[tuple[str, str], dict[tuple[int, str], int]] = defaultdict(dict)
    for cell in cells:
        if cell.school_type != ALL:
            values[(cell.subject, cell.measure)][(cell.municipality_id, cell.school_type)] = cell.count
    return dict(values)


@dataclass(frozen=True)
class Spot:
    """One level × pillar × school type of a municipality, as the uptake page shows it."""

    level: str
    pillar: str
    school_type: str
    schools: int
    offer_items: int
    uses: Published
    wishes: Published
    covered: Published

    @property
    def state(self) -> str | None:
        """``white-spot`` when neither the offer nor any school covers it, ``protected`` when the
        published figures cannot tell, None otherwise."""
        if self.offer_items:
            return None
        if self.covered.count is None:
            return PROTECTED
        return WHITE_SPOT if self.covered.count == 0 else None


def spots(published: list[Published], items: Iterable[ItemFact], municipality_id: int) -> list[Spot]:
    """The matrix cells of one municipality, from published cells only, with its own offer beside them."""
    items = [i for i in items if municipality_id in i.municipality_ids]
    by_key = {(p.subject, p.measure, p.school_type): p for p in published if p.municipality_id == municipality_id}
    types = [t for t in (*TYPES, ALL) if (matrix_subject(LEVELS[0], PILLARS[0]), "covered", t) in by_key]
    result = []
    for level in LEVELS:
        for pillar in PILLARS:
            subject = matrix_subject(level, pillar)
            for school_type in types:
                offered = sum(1 for i in items if i.level == level and i.pillar == pillar
                              and (school_type == ALL or school_type in i.school_types))
                cells = {m: by_key[(subject, m, school_type)] for m in ("uses", "wishes", "covered")}
                result.append(Spot(level, pillar, school_type, cells["covered"].schools, offered, **cells))
    return result
