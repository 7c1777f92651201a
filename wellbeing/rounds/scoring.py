"""Team picture arithmetic: distributions, medians, spread, disagreement and element scores.

Pure functions over plain values, so they run and test without a request or a database.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from statistics import median

SCALE = (1, 2, 3, 4)
#: A statement is flagged when the middle half of the team lies this many scale points apart or more,
#: or when at least a quarter of the team is at each end of the scale.
DISAGREEMENT_IQR = 1.5


@dataclass(frozen=True)
class ItemPicture:
    item_id: str
    counts: dict[int, int]  # scale value -> number of respondents
    dont_know: int
    median: float | None
    spread: float | None    # interquartile range
    disagreement: bool

    @property
    def answered(self) -> int:
        return sum(self.counts.values())


def _quartiles(values: list[int]) -> tuple[float, float]:
    ordered = sorted(values)
    half = len(ordered) // 2
    lower, upper = ordered[:half], ordered[half + len(ordered) % 2:]
    return median(lower or ordered), median(upper or ordered)


def item_picture(item_id: str, answers: list[int | None]) -> ItemPicture:
    known = [a for a in answers if a is not None]
    counts = Counter(known)
    if not known:
        return ItemPicture(item_id, {v: 0 for v in SCALE}, len(answers), None, None, False)
    q1, q3 = _quartiles(known)
    spread = q3 - q1
    low = sum(1 for a in known if a == SCALE[0])
    high = sum(1 for a in known if a == SCALE[-1])
    polarised = low * 4 >= len(known) and high * 4 >= len(known)
    return ItemPicture(item_id, {v: counts.get(v, 0) for v in SCALE}, len(answers) - len(known),
                       float(median(known)), float(spread), spread >= DISAGREEMENT_IQR or polarised)


def element_score(values: list[int | None]) -> float | None:
    """0–100: the mean of the known answers rescaled so 1 is 0 and 4 is 100."""
    known = [v for v in values if v is not None]
    if not known:
        return None
    return round(sum(v - SCALE[0] for v in known) / len(known) / (SCALE[-1] - SCALE[0]) * 100, 1)


def agreed_element_score(agreed: list[int | None]) -> float | None:
    return element_score(agreed)


def enough(respondents: int, minimum: int) -> bool:
    """Whether a team aggregate may be shown: never below 3, whatever the setting says."""
    return respondents >= max(3, minimum)


def shown_groups(total: int, groups: dict[str, int], minimum: int) -> dict[str, int]:
    """The role groups whose aggregate may be shown beside the whole team.

    Each shown group needs ``minimum`` people, and so does the rest of the team outside all shown
    groups (unless nobody is left): otherwise "whole team minus the groups" would single out the
    answers of one or two people. Smallest groups are dropped first until both hold.
    """
    shown = {g: n for g, n in groups.items() if enough(n, minimum)}
    while shown:
        rest = total - sum(shown.values())
        if rest == 0 or enough(rest, minimum):
            break
        smallest = min(shown, key=lambda g: (shown[g], g))
        del shown[smallest]
    return shown
