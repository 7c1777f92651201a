"""A whole release, from per-school facts and the ledger of earlier releases. Pure.

Count measures (one 0/1 fact per school): participation, certificates, a pillar each, a prevention
level each, a priority statement each (current school year), and per school year the schools with
element scores (``scored``). Each goes through ``protect.protect`` (band rule, exact audit over every
earlier release, secondary suppression). Element-score distributions follow
``distributions.release``.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, partial

from wellbeing.release import distributions
from wellbeing.release.audit import Published, Stage
from wellbeing.release.protect import CannotProtect, protect
from wellbeing.pillars import PILLARS
from wellbeing.release.tables import ALL, COLUMNS, TYPES, Cell, Geography, Inner

PREVENTION = ("universal", "selective", "indicated")
CURRENT_MEASURES = ("participation", "certificates", *(f"pillar:{p}" for p in PILLARS),
                    *(f"prevention:{v}" for v in PREVENTION))
SCORED = "scored"
#: measure -> the measure of the same school year that implies it, school by school: element scores
#: come from a finalised round only, so a school with scores this year finalised a round this year.
#: Such pairs are audited together (the attacker knows the rule), and when one must show its last
#: release again, so does the other.
IMPLIED_BY = {"participation": SCORED}


@dataclass(frozen=True)
class SchoolFacts:
    school_id: int
    municipality_id: int
    school_type: str
    properties: frozenset[str]        # the current-year measures this school counts in


@dataclass(frozen=True)
class ScoredRound:
    school_id: int
    municipality_id: int
    school_type: str
    school_year: str
    scores: dict[str, float]


@dataclass
class Ledger:
    """What earlier releases published, as the release job reads it from the database."""

    stages: Callable[[str, str], list[Stage]] = lambda year, measure: []
    hidden_before: Callable[[str, str], set[Cell]] = lambda year, measure: set()
    #: (year, element) -> cell -> (values shown, the release whose scores they came from)
    distributions: Callable[[str, str], dict[Cell, tuple[tuple[int, int, int], int]]] = lambda year, element: {}
    #: (release id, year) -> school -> (municipality, type, {element: score}) at that release
    scores_at: Callable[[int, str], dict[int, tuple[int, str, dict[str, float]]]] = lambda release, year: {}
    #: (year, element) -> every (cell, release whose scores its values came from) any release showed
    snapshots: Callable[[str, str], set[tuple[Cell, int]]] = lambda year, element: set()


@dataclass
class CountResult:
    published: dict[Cell, Published]
    values: dict[Inner, int]
    seconds: float
    solves: int
    #: the measure's own inner cells when they differ from the release's (uptake: possible cells only)
    geography: Geography | None = None


@dataclass
class Outcome:
    counts: dict[tuple[str, str], CountResult] = field(default_factory=dict)
    #: (year, element) -> cell -> ((q1, median, q3), recomputed) or None when hidden
    distributions: dict[tuple[str, str], dict[Cell, tuple[tuple[int, int, int], bool] | None]] = \
        field(default_factory=dict)
    #: (year, element) -> cell -> release id the shown values come from (None: this release)
    basis: dict[tuple[str, str], dict[Cell, int | None]] = field(default_factory=dict)
    scores: dict[str, dict[int, tuple[int, str, dict[str, float]]]] = field(default_factory=dict)


def columns_of(measure: str) -> tuple[str, ...]:
    """Priorities are listed per area, not per school type."""
    return (ALL,) if measure.startswith("priority:") else COLUMNS


def count_values(schools: list[SchoolFacts], rounds: list[ScoredRound], years: list[str], current_year: str,
                 priority_items: list[str]) -> dict[tuple[str, str], dict[Inner, int]]:
    measures: dict[tuple[str, str], dict[Inner, int]] = {
        (current_year, m): {} for m in (*CURRENT_MEASURES, *(f"priority:{i}" for i in priority_items))}
    for school in schools:
        key = (school.municipality_id, school.school_type)
        for name in school.properties:
            table = measures.get((current_year, name))
            if table is not None:
                table[key] = table.get(key, 0) + 1
    for year in years:
        table = measures.setdefault((year, SCORED), {})
        for school in latest_scores(rounds, year).values():
            key = (school[0], school[1])
            table[key] = table.get(key, 0) + 1
    return measures


def latest_scores(rounds: list[ScoredRound], year: str) -> dict[int, tuple[int, str, dict[str, float]]]:
    """One scored round per school and year."""
    return {r.school_id: (r.municipality_id, r.school_type, dict(r.scores)) for r in rounds
            if r.school_year == year and r.scores}


def make(geography: Geography, schools: list[SchoolFacts], rounds: list[ScoredRound], years: list[str],
         current_year: str, minimum: int, priority_items: list[str], elements: list[str], ledger: Ledger,
         element_types: dict[str, frozenset[str]] | None = None) -> Outcome:
    """``element_types``: the school types each element applies to (public: the instrument); every
    type when not given."""
    outcome = Outcome()
    tables = count_values(schools, rounds, years, current_year, priority_items)
    # A measure implied by another is protected after it, with its publication at hand.
    again: dict[tuple[str, str], int] = {}      # measures showing a release's figures again -> that release
    for (year, measure), values in sorted(tables.items(), key=lambda item: item[0][1] in IMPLIED_BY):
        started = time.perf_counter()
        earlier = ledger.stages(year, measure)
        below: list[Stage] = []
        lower = IMPLIED_BY.get(measure)
        linked = lower is not None and (year, lower) in outcome.counts
        if linked and (year, lower) in again:
            # A linked pair falls back together: this measure's new figures beside the other's old
            # ones were never audited together (and the rule between them holds only for figures
            # of one moment).
            outcome.counts[(year, measure)] = _shown_again(earlier, again[(year, lower)], started)
            again[(year, measure)] = again[(year, lower)]
            continue
        if linked:
            done = outcome.counts[(year, lower)]
            below = [*ledger.stages(year, lower), Stage(geography, done.values, done.published)]
        try:
            published, audit = protect(geography, values, minimum, earlier, ledger.hidden_before(year, measure),
                                       columns_of(measure), below=below)
        except CannotProtect:
            # Earlier releases, and knowing which cells changed since, leave no safe way to show the
            # new figures: show the last release's figures again (they say nothing new) and wait
            # for more schools to change. A measure implying this one falls back with it.
            release = _last_release(earlier)
            outcome.counts[(year, measure)] = _shown_again(earlier, release, started)
            again[(year, measure)] = release
            if linked:
                outcome.counts[(year, lower)] = _shown_again(ledger.stages(year, lower), release, started)
                again[(year, lower)] = release
            continue
        outcome.counts[(year, measure)] = CountResult(published, values, time.perf_counter() - started, audit.solves)
    outcome.counts = {key: outcome.counts[key] for key in tables}     # the tables' own order
    for year in years:
        scored = latest_scores(rounds, year)
        outcome.scores[year] = scored
        counts = outcome.counts[(year, SCORED)].published
        cells = list(counts)
        everyone = distributions.by_inner({s: (m, t, 0.0) for s, (m, t, _) in scored.items()})
        stored: dict[int, dict[int, tuple[int, str, dict[str, float]]]] = {}
        for element in elements:
            having = {s: (m, t, scores[element]) for s, (m, t, scores) in scored.items() if element in scores}
            if not having:
                continue
            grouped = distributions.by_inner(having)
            shown_before = ledger.distributions(year, element)
            then_cache: dict[int, dict] = {}

            @cache
            def members_then(cell: Cell, release_id: int) -> dict[int, float]:
                if release_id not in then_cache:
                    if release_id not in stored:
                        stored[release_id] = ledger.scores_at(release_id, year)     # read once per year
                    then = stored[release_id]
                    then_cache[release_id] = distributions.by_inner(
                        {s: (m, t, sc[element]) for s, (m, t, sc) in then.items() if element in sc})
                return distributions.members_of(geography, cell, then_cache[release_id])

            previous = {cell: (values, members_then(cell, release_id))
                        for cell, (values, release_id) in shown_before.items()}
            snapshots = [(cell, partial(members_then, cell, release_id))     # read only where a cell moves
                         for cell, release_id in sorted(ledger.snapshots(year, element))]
            types = (element_types or {}).get(element, frozenset(TYPES))
            if (year, SCORED) in again:
                # The counts are an earlier release's: so are the distributions beside them. New
                # quartiles would rest on schools the shown counts do not describe.
                show = distributions.shown_cells(geography, cells, counts, everyone, grouped, minimum, types)
                result = {cell: (previous[cell][0], False) if cell in show and cell in previous else None
                          for cell in cells}
            else:
                result = distributions.release(geography, cells, counts, everyone, grouped, previous, minimum, types,
                                               snapshots)
            outcome.distributions[(year, element)] = result
            outcome.basis[(year, element)] = {
                cell: (None if shown[1] else shown_before[cell][1]) for cell, shown in result.items() if shown}
    return outcome


def _last_release(stages: list[Stage]) -> int:
    """The latest release any of ``stages`` stood in."""
    release = max((r for stage in stages for r in stage.releases), default=None)
    if release is None:
        raise CannotProtect("no earlier release to show again")
    return release


def _shown_again(stages: list[Stage], release: int, started: float) -> CountResult:
    """A measure's publication of ``release`` shown again, with the values it described: it says
    nothing new, and the ledger records it as the same publication standing once more."""
    last = next((stage for stage in stages if release in stage.releases), None)
    if last is None:
        raise CannotProtect(f"nothing of release {release} to show again")
    return CountResult(dict(last.published), dict(last.values), time.perf_counter() - started, 0)
