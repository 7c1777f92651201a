"""A short plain-language summary of what stands out in the start picture, from released figures
only: the biggest change since the year before, the weakest element, the pillars that few schools
cover, where the municipality lags its region, and how many schools the scores rest on.

Call inside an app context (sentences are translated with ``gettext``).
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from wellbeing.cycle.figures import AreaFigures, Figures
from wellbeing.pillars import PILLARS

LAG = 5          # points below the region that count as lagging


def _medians(figures: Figures, level: str, year: str, elements: dict[str, str]) -> dict[str, int]:
    return _medians_of(figures.areas[level], year, elements)


def _medians_of(area: AreaFigures, year: str, elements: dict[str, str]) -> dict[str, int]:
    found = {}
    for element in elements:
        median = area.median(year, element)
        if median is not None and not median.hidden:
            found[element] = median.median
    return found


def summarise(figures: Figures, year: str, elements: dict[str, str], pillars: dict[str, str]) -> list[str]:
    """Sentences, most telling first; ``elements`` and ``pillars`` map ids to translated titles."""
    sentences: list[str] = []
    area = figures.municipality
    now = _medians(figures, "m", year, elements)
    scored = area.count(year, "scored")
    if scored is not None and not scored.hidden:
        sentences.append(ngettext("The scores of %(year)s rest on %(n)s school.",
                                  "The scores of %(year)s rest on %(n)s schools.",
                                  scored.high, year=year, n=scored.figure))
    position = figures.years.index(year) if year in figures.years else -1
    if position > 0:
        before_year = figures.years[position - 1]
        before = _medians(figures, "m", before_year, elements)
        changes = [(abs(now[e] - before[e]), now[e] - before[e], e) for e in now if e in before]
        changes = [c for c in changes if c[0] > 0]
        if changes:
            _size, change, element = max(changes, key=lambda c: (c[0], c[2]))
            template = (_("The biggest change since %(before)s: %(element)s rose from %(old)d to %(new)d.")
                        if change > 0 else
                        _("The biggest change since %(before)s: %(element)s fell from %(old)d to %(new)d."))
            sentences.append(template % {"before": before_year, "element": elements[element],
                                         "old": before[element], "new": now[element]})
        elif now and before:
            sentences.append(_("The medians did not change since %(before)s.", before=before_year))
    if now:
        weakest = min(now, key=lambda e: (now[e], e))
        sentences.append(_("The weakest element in %(year)s is %(element)s, with a median of %(score)d out of 100.",
                           year=year, element=elements[weakest], score=now[weakest]))
        region = _medians(figures, "r", year, elements)
        lagging = [elements[e] for e in now if e in region and now[e] <= region[e] - LAG]
        if lagging:
            sentences.append(_("Behind the region by %(points)d points or more: %(elements)s.",
                               points=LAG, elements=", ".join(lagging)))
        elif region:
            sentences.append(_("No element is %(points)d points or more behind the region.", points=LAG))
    else:
        sentences.append(_("There are no released element scores for %(year)s.", year=year))
    sentences.extend(_pillar_gaps(area, year, pillars))
    return sentences


def _pillar_gaps(area: AreaFigures, year: str, pillars: dict[str, str]) -> list[str]:
    gaps = []
    for pillar in PILLARS:
        count = area.count(year, f"pillar:{pillar}")
        if count is not None and not count.hidden and count.share_high < 50:
            gaps.append(pillars[pillar])
    if gaps:
        return [_("Fewer than half of the schools do an activity in: %(pillars)s.", pillars=", ".join(gaps))]
    shown = [area.count(year, f"pillar:{p}") for p in PILLARS]
    if any(count is not None and not count.hidden for count in shown):   # all protected: nothing to say
        return [_("In every pillar, at least about half of the schools do an activity, as far as the "
                  "released figures show.")]
    return []


def summarise_group(figures: Figures, year: str, elements: dict[str, str], pillars: dict[str, str]) -> list[str]:
    """The same kind of sentences for a group of municipalities, from its members' released figures
    and the sums of their released counts (``group_figures``): how many schools the scores rest on,
    where the members differ most, which members lag the region, the pillar gaps."""
    sentences: list[str] = []
    group = figures.municipality
    scored = group.count(year, "scored")
    if scored is not None and not scored.hidden:
        sentences.append(ngettext("The scores of %(year)s rest on %(n)s school in %(members)d municipalities.",
                                  "The scores of %(year)s rest on %(n)s schools in %(members)d municipalities.",
                                  scored.high, year=year, n=scored.figure, members=len(figures.members)))
    per_member = [(member.name, _medians_of(member, year, elements)) for member in figures.members]
    spreads = []
    for element in elements:
        found = [(medians[element], name) for name, medians in per_member if element in medians]
        if len(found) > 1:
            (low, low_name), (high, high_name) = min(found), max(found)
            spreads.append((high - low, element, low, low_name, high, high_name))
    if spreads:
        spread, element, low, low_name, high, high_name = max(spreads, key=lambda s: (s[0], s[1]))
        if spread > 0:
            sentences.append(_("The municipalities differ most on %(element)s: from %(low)d in %(low_name)s to "
                               "%(high)d in %(high_name)s.", element=elements[element], low=low, low_name=low_name,
                               high=high, high_name=high_name))
    region = _medians(figures, "r", year, elements)
    lagging = []
    for name, medians in per_member:
        behind = [elements[e] for e in medians if e in region and medians[e] <= region[e] - LAG]
        if behind:
            lagging.append(f"{name} ({', '.join(behind)})")
    if lagging:
        sentences.append(_("Behind the region by %(points)d points or more: %(elements)s.",
                           points=LAG, elements="; ".join(lagging)))
    elif region and any(medians for _name, medians in per_member):
        sentences.append(_("No element is %(points)d points or more behind the region.", points=LAG))
    if not any(medians for _name, medians in per_member):
        sentences.append(_("There are no released element scores for %(year)s.", year=year))
    sentences.extend(_pillar_gaps(group, year, pillars))
    return sentences


def types_shown(area: AreaFigures, year: str, elements: dict[str, str]) -> list[str]:
    """The school types whose released medians of ``year`` show for ``area`` where its all-types
    medians are all protected (then the start picture points there); none otherwise."""
    if _medians_of(area, year, elements):
        return []
    return [t for t in area.types() if _medians_of(area.of_type(t), year, elements)]

