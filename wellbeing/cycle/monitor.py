"""Targets against released figures, per school year. Pure.

A share target is met only when the released band says so for certain (its low end reaches the
threshold), and missed only when its high end stays below it; a band across the threshold is
"about there". A protected figure stays protected: no target reading ever guesses at it.

A group of municipalities has no median of its own (``group_figures``): a median target reads the
range from the lowest to the highest member median, met when the lowest reaches the threshold.
"""
from __future__ import annotations

from dataclasses import dataclass

from wellbeing.cycle.catalogue import MEDIAN
from wellbeing.cycle.figures import AreaFigures
from wellbeing.cycle.group_figures import GroupArea, median_range

MET, NOT_YET, ABOUT, PROTECTED, NO_FIGURE = "met", "not-yet", "about", "protected", "no-figure"


@dataclass(frozen=True)
class Reading:
    state: str              # one of the five above
    low: float | None       # the share (per cent) or median; low == high unless a band
    high: float | None
    figure: str             # as printed: "12 of 20 (60 %)", "64", ""

    @property
    def value(self) -> float | None:
        return None if self.low is None else (self.low + self.high) / 2


def read(area: AreaFigures, indicator: str, column: str, year: str, threshold: int) -> Reading:
    if indicator.startswith(MEDIAN) and isinstance(area, GroupArea):
        kind, low, high = median_range(area.member_medians(year, indicator[len(MEDIAN):], column))
        if kind != "range":
            return Reading(NO_FIGURE if kind == "none" else PROTECTED, None, None, "")
        state = MET if low >= threshold else NOT_YET if high < threshold else ABOUT
        return Reading(state, low, high, str(low) if low == high else f"{low}–{high}")
    if indicator.startswith(MEDIAN):
        found = area.median(year, indicator[len(MEDIAN):], column)
        if found is None:
            return Reading(NO_FIGURE, None, None, "")
        if found.hidden:
            return Reading(PROTECTED, None, None, "")
        state = MET if found.median >= threshold else NOT_YET
        return Reading(state, found.median, found.median, str(found.median))
    count = area.count(year, indicator, column)
    if count is None:
        return Reading(NO_FIGURE, None, None, "")
    if count.hidden:
        return Reading(PROTECTED, None, None, "")
    if count.share_low >= threshold:
        state = MET
    elif count.share_high < threshold:
        state = NOT_YET
    else:
        state = ABOUT
    figure = f"{count.figure}/{count.base} ({round(count.share)} %)"
    return Reading(state, count.share_low, count.share_high, figure)


def series(area: AreaFigures, indicator: str, column: str, years: tuple[str, ...], threshold: int
           ) -> list[tuple[str, Reading]]:
    return [(year, read(area, indicator, column, year, threshold)) for year in years]
