"""The team's conversation about a released picture: which statements to talk about, in which order,
and the diverging bar that shows each one.

Pure functions over the released picture (``releases.TeamPicture``) and the recorded agreements, so
nothing here can show a figure the release does not: a statement the release hides has no bar.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wellbeing.instruments.checklist import Checklist, Element, Item
from wellbeing.rounds.models import Consensus
from wellbeing.rounds.scoring import ItemPicture

#: Which statements a list shows: all, only where the team differs, only those not discussed yet.
FILTERS = ("all", "differs", "open")
#: In checklist order, or where the team differs most first.
SORTS = ("checklist", "disagreement")


@dataclass(frozen=True)
class Statement:
    number: int                      # 1-based, in checklist order for the round's school type
    element: Element
    item: Item
    picture: ItemPicture | None      # None: the release does not show this statement
    agreement: Consensus | None      # None: not discussed

    @property
    def differs(self) -> bool:
        return self.picture is not None and self.picture.disagreement

    @property
    def agreed(self) -> bool:
        return self.agreement is not None


def statements(instrument: Checklist, school_type: str, items: Mapping[str, ItemPicture],
               agreements: Mapping[str, Consensus]) -> list[Statement]:
    """Every statement of the round in checklist order, with its shown figures and its agreement."""
    result = []
    for element in instrument.elements_for(school_type):
        for item in element.items_for(school_type):
            result.append(Statement(len(result) + 1, element, item, items.get(item.id), agreements.get(item.id)))
    return result


def disagreement_first(all_statements: Sequence[Statement]) -> list[Statement]:
    """Where the team differs first (widest spread first), then the rest, each in checklist order."""
    return sorted(all_statements, key=lambda s: (not s.differs, -(s.picture.spread or 0) if s.differs else 0,
                                                 s.number))


def matches(statement: Statement, show: str) -> bool:
    return show == "all" or (show == "differs" and statement.differs) or (show == "open" and not statement.agreed)


def listed(all_statements: Sequence[Statement], show: str, sort: str) -> list[Statement]:
    ordered = disagreement_first(all_statements) if sort == "disagreement" else list(all_statements)
    return [s for s in ordered if matches(s, show)]


def neighbours(all_statements: Sequence[Statement], current: Statement, show: str
               ) -> tuple[Statement | None, Statement | None]:
    """The statements before and after ``current`` in the meeting's order (disagreement first), among
    those ``show`` keeps. ``current`` itself need not match any more (it was just agreed)."""
    ordered = disagreement_first(all_statements)
    at = ordered.index(current)
    before = [s for s in ordered[:at] if matches(s, show)]
    after = [s for s in ordered[at + 1:] if matches(s, show)]
    return (before[-1] if before else None), (after[0] if after else None)


@dataclass(frozen=True)
class Segment:
    value: int        # scale value 1..4
    count: int
    x: float          # in the bar's coordinates: 0..WIDTH, the middle at WIDTH / 2
    width: float

    @property
    def label_x(self) -> float:
        return self.x + self.width / 2

    @property
    def labelled(self) -> bool:
        """Wide enough to carry its value as text, so colour is not the only carrier."""
        return self.width >= 9


WIDTH = 200.0


def bar(picture: ItemPicture) -> list[Segment]:
    """A diverging stacked bar: the low answers (1, 2) to the left of the middle, the high ones
    (3, 4) to the right, each as its share of the real answers. "Don't know" is not on the bar (it
    is neither side); it is printed beside it."""
    total = picture.answered
    if total == 0:
        return []
    half = WIDTH / 2
    c = picture.counts

    def at(share: int) -> float:  # from shares of the total, so a full side ends exactly at 0 or WIDTH
        return round(half * share / total, 6)

    spans = {1: (half - at(c[1] + c[2]), at(c[1])), 2: (half - at(c[2]), at(c[2])),
             3: (half, at(c[3])), 4: (half + at(c[3]), at(c[4]))}
    segments = [Segment(value, c[value], x, width) for value, (x, width) in spans.items() if c[value]]
    return sorted(segments, key=lambda s: s.value)


def progress(all_statements: Sequence[Statement]) -> tuple[int, int]:
    """(agreed, not discussed)."""
    agreed = sum(1 for s in all_statements if s.agreed)
    return agreed, len(all_statements) - agreed
