"""Which figures of a team picture a release may show (issue 11).

The attacker is the coordinator (or a GSA the school shares with): they see every release of the
picture, keep copies, know who is on the team and in which role, may know who has sent, and
subtract. Every figure is a sum over a set of people the attacker can name (the release's members,
or one role group of them), so what they can compute for one statement is a sum over any set in
the span of the sets shown for it. The finest such sets are the *atoms*: the classes of people who
lie in exactly the same shown sets. So a figure may be shown when, together with everything shown
before, every atom holds

- at least ``minimum`` people (their histogram, blanks and "don't know" included, is then a total
  over at least that many), and
- no real answer (1–4) or at least ``minimum`` of them (the issue: a statement shows nothing that
  rests on one or two real answers, now or as a difference between two releases).

For one statement in one group over releases, sets only grow, so the atoms are the differences
between successive releases in which it was shown: "0 or at least ``minimum`` new real answers".
A role group and "the rest of the team" (the whole team minus the group, which anyone can
subtract) are atoms of the same kind. Element scores, medians, flags and counts are computed from
the shown statements only (``picture``), so they tell nothing the shown statements do not.

Pure functions over plain values: the service stores what a release showed, and the property test
in ``tests/test_disclosure.py`` checks the result with a checker of its own.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from wellbeing.rounds import scoring

ALL = "all"  # the whole team, beside the role groups


@dataclass(frozen=True)
class Member:
    """One submitted respondent: an opaque id, the role group (None when not given) and the answers
    (item -> 1..4, None for "don't know"; a statement left open is absent)."""

    id: int
    group: str | None
    answers: Mapping[str, int | None]


@dataclass(frozen=True)
class Shown:
    """What one release shows: the role groups with their member counts, and per statement the
    groups (``ALL`` or a role group) whose figures are shown, with their numbers of real answers."""

    groups: dict[str, int] = field(default_factory=dict)
    cells: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"groups": dict(sorted(self.groups.items())),
                "cells": {item: dict(sorted(groups.items())) for item, groups in sorted(self.cells.items())}}

    @classmethod
    def from_json(cls, data: Mapping) -> Shown:
        return cls(dict(data.get("groups", {})), {item: dict(g) for item, g in data.get("cells", {}).items()})

    def hidden_items(self, item_ids: Iterable[str], group: str = ALL) -> list[str]:
        return [i for i in item_ids if group not in self.cells.get(i, {})]


@dataclass(frozen=True)
class Earlier:
    """An earlier release: its members' ids and what it showed."""

    member_ids: frozenset[int]
    shown: Shown


def due(pending: int, minimum: int) -> bool:
    """Whether answers sent since the last release make a new one: only at least ``minimum`` of
    them, so every release adds a group of people too large to single anyone out (a round that
    closes with fewer pending leaves them out: adding them would show them)."""
    return pending >= max(3, minimum)


def _atoms(sets: Sequence[frozenset[int]]) -> list[frozenset[int]]:
    classes: dict[tuple[bool, ...], set[int]] = {}
    for person in frozenset().union(*sets):
        classes.setdefault(tuple(person in s for s in sets), set()).add(person)
    return [frozenset(c) for c in classes.values()]


def atoms_ok(sets: Sequence[frozenset[int]], real: frozenset[int], minimum: int, settled: int = 0) -> bool:
    """Whether every atom of ``sets`` (people grouped by which of the sets they are in) holds at
    least ``minimum`` people and either no member of ``real`` or at least ``minimum`` of them.

    The first ``settled`` sets were published before: an atom they already made on their own is
    not judged again (it passed then, perhaps under a lower ``MIN_RESPONDENTS``); every atom the
    new sets make or split is."""
    before = set(_atoms(sets[:settled])) if settled else set()
    return all(len(atom) >= minimum and len(atom & real) in (0, *range(minimum, len(atom) + 1))
               for atom in _atoms(sets) if atom not in before)


def _group_sets(members: Sequence[Member], group: str) -> frozenset[int]:
    return frozenset(m.id for m in members if group == ALL or m.group == group)


def decide(members: Sequence[Member], earlier: Sequence[Earlier], minimum: int) -> Shown:
    """What a new release of ``members`` (all earlier releases' members and the new ones) may show.

    Role groups first: a group is kept only when it, the rest of the team and every difference with
    what earlier releases showed stay atoms of at least ``minimum`` people; the smallest group goes
    first until that holds. Then per statement the same with real answers, the whole team kept
    longest. Dropping a candidate only removes sets, so the loop ends at what was shown before.
    """
    minimum = max(3, minimum)
    by_id = {m.id: m for m in members}
    everyone = frozenset(by_id)

    def members_of(ids: frozenset[int], group: str) -> frozenset[int]:
        return frozenset(i for i in ids if group == ALL or by_id[i].group == group)

    # Every release's team is known (its size is on the page and live progress counts it).
    known = [e.member_ids for e in earlier] + [members_of(e.member_ids, g) for e in earlier for g in e.shown.groups]
    sizes = Counter(m.group for m in members if m.group is not None)
    candidates = sorted((g for g, n in sizes.items() if n >= minimum and len(everyone) - n >= minimum),
                        key=lambda g: (-sizes[g], g))
    while candidates and not atoms_ok(known + [everyone] + [members_of(everyone, g) for g in candidates],
                                      frozenset(), minimum, len(known)):
        candidates.pop()  # the smallest group
    if not atoms_ok(known + [everyone], frozenset(), minimum, len(known)):
        return Shown({}, {})  # a release adds fewer than ``minimum`` people: it shows nothing new
    groups = {g: sizes[g] for g in candidates}

    cells: dict[str, dict[str, int]] = {}
    items = sorted({item for m in members for item in m.answers})
    for item in items:
        real = frozenset(m.id for m in members if m.answers.get(item) is not None)
        before = [members_of(e.member_ids, g) for e in earlier for g in e.shown.cells.get(item, {})]
        chosen = [g for g in [ALL, *groups] if len(members_of(everyone, g) & real) >= minimum]
        while chosen and not atoms_ok(before + [members_of(everyone, g) for g in chosen], real, minimum,
                                      len(before)):
            chosen.pop()  # groups from the smallest; the whole team last
        if chosen:
            cells[item] = {g: len(members_of(everyone, g) & real) for g in chosen}
    return Shown(groups, cells)


def joint(members: Sequence[Member]) -> Shown:
    """A team-meeting round is the team's one joint answer set: all of it is shown."""
    items = {item for m in members for item, value in m.answers.items() if value is not None}
    return Shown({}, {item: {ALL: 1} for item in items})


@dataclass(frozen=True)
class Figures:
    """The figures of one group in one release, from shown statements only."""

    respondents: int
    items: dict[str, scoring.ItemPicture]
    element_scores: dict[str, float | None]


def figures(members: Sequence[Member], shown: Shown, elements: Mapping[str, Sequence[str]],
            group: str = ALL) -> Figures:
    """The picture of ``group`` (``ALL`` or a shown role group): distributions, medians, flags and
    "don't know" counts of the shown statements, and element scores (``elements``: element id ->
    its statement ids) over those statements only."""
    people = [m for m in members if group == ALL or m.group == group]
    items = {}
    for item, groups in shown.cells.items():
        if group in groups:
            items[item] = scoring.item_picture(item, [m.answers[item] for m in people if item in m.answers])
    scores = {element: scoring.element_score([m.answers[item] for item in element_items if item in items
                                              for m in people if item in m.answers])
              for element, element_items in elements.items()}
    return Figures(len(people), items, scores)
