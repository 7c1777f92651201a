"""Choose what a release shows of one count measure: the band rule, the cells that must hide, and
more hidden cells (secondary suppression) until the exact audit over every release passes. Pure.

The rule, per cell (school counts are public, the measure is protected):

- a cell resting on fewer than ``minimum`` schools is hidden;
- a cell hidden in an earlier release of the same measure (same school year) stays hidden, so the
  pattern does not move between releases and comparing them gains nothing;
- any other cell is published by ``tables.band``: exact, except that 0 and 1 read "0–1" and
  n-1 and n read "n-1–n";
- then ``audit.audit`` over this release and every earlier one (together with a measure that
  implies this one, when there is one: see ``audit``); for each finding one more cell is
  widened into a band ("3" -> "2–4", at most ``widest_band``) or, once as wide as that, hidden
  (among the shown cells whose rows pin it in the solver's proof, or else on a line through it:
  municipality cells before region cells before national ones, fewest schools first), until it
  passes. Hiding everything passes unless earlier releases and what changed since pin a cell
  already; then ``CannotProtect`` is raised and the caller publishes the measure's previous release
  again unchanged, which tells nothing new.
"""
from __future__ import annotations

from collections.abc import Iterable

from wellbeing.release.audit import Finding, Published, Result, Stage, audit
from wellbeing.release.tables import COLUMNS, LEVELS, Cell, Geography, Inner, band

LEVEL_RANK = {"m": 0, "r": 1, "n": 2}


class CannotProtect(RuntimeError):
    """An earlier release already gives away more than the rule allows; nothing this release hides
    can undo that."""


def initial(geography: Geography, values: dict[Inner, int], minimum: int, hidden_before: set[Cell],
            columns: Iterable[str] = COLUMNS, levels: Iterable[str] = LEVELS) -> dict[Cell, Published]:
    published: dict[Cell, Published] = {}
    for cell in geography.cells(columns, minimum, levels):
        n = geography.size(cell)
        if n < minimum or cell in hidden_before:
            published[cell] = None
        else:
            published[cell] = band(sum(values.get(k, 0) for k in geography.members(cell)), n)
    return published


def protect(geography: Geography, values: dict[Inner, int], minimum: int, earlier: list[Stage],
            hidden_before: set[Cell], columns: Iterable[str] = COLUMNS,
            levels: Iterable[str] = LEVELS, below: list[Stage] = ()) -> tuple[dict[Cell, Published], Result]:
    """The publication of this release and its (passing) audit; ``levels`` as in ``Geography.cells``.
    ``below``: the stages of a measure that implies this one school by school (its publication of
    this release last), audited with it."""
    published = initial(geography, values, minimum, hidden_before, columns, levels)
    solves = 0
    dirty: set[int] | None = None      # every region in the first pass
    while True:
        result = audit([*earlier, Stage(geography, values, published)], minimum, dirty, below)
        solves += result.solves
        if result.ok:
            result.solves = solves
            return published, result
        added = False
        hidden_now: set[Cell] = set()
        for finding in result.findings:
            if finding.binding & hidden_now:
                continue    # a row that pinned it is gone already: audit again before hiding more
            partner = _partner(geography, published, finding)
            if partner is not None:
                published[partner] = _loosened(geography, partner, published[partner])
                hidden_now.add(partner)
                added = True
        if not added:
            raise CannotProtect(f"no cell left to hide for {result.findings[0]}")
        dirty = _regions(geography, hidden_now, result)


def _loosened(geography: Geography, cell: Cell, shown: Published) -> Published:
    """Fewer blanks: a shown count first becomes a band one school wider on each side ("3" -> "2–4"),
    up to ``widest_band``; only then is it hidden. A band, like a hidden cell, only removes
    information, and the audit judges the result as any other publication."""
    n = geography.size(cell)
    low, high = max(0, shown[0] - 1), min(n, shown[1] + 1)
    if high - low > widest_band(n) or (low, high) == (0, n):
        return None
    return (low, high)


def widest_band(schools: int) -> int:
    """The widest band still worth showing: 4 schools, less in small cells (2 in a cell of 8)."""
    return min(4, max(2, schools // 4))


def _partner(geography: Geography, published: dict[Cell, Published], finding: Finding) -> Cell | None:
    """The shown cell to hide for ``finding``: one whose row pins it in the solver's own proof (the
    rows with a non-zero dual in the LP that found the interval too narrow), fewest schools first;
    otherwise the shown cell with the fewest schools on a line through it."""
    binding = [c for c in finding.binding if published.get(c) is not None]
    if binding:
        return min(binding, key=lambda c: (LEVEL_RANK[c[0]], geography.size(c), c))
    cell, inner = finding.cell, finding.inner
    members = set(geography.members(cell)) if cell is not None else {inner}
    municipalities = {m for m, _ in members}
    types = {t for _, t in members}
    regions = {geography.region_of[m] for m in municipalities}

    def on_a_line(candidate: Cell) -> bool:
        candidate_members = geography.members(candidate)
        return any(m in municipalities for m, _ in candidate_members) or (
            any(t in types for _, t in candidate_members)
            and any(geography.region_of[m] in regions for m, _ in candidate_members))

    shown = [c for c, p in published.items() if p is not None]
    for pool in ([c for c in shown if on_a_line(c)], shown):
        if pool:
            return min(pool, key=lambda c: (LEVEL_RANK[c[0]], geography.size(c), c))
    return None


def _regions(geography: Geography, hidden: set[Cell], result: Result) -> set[int]:
    """The regions to audit again: where something was hidden or found. A national cell ties them
    all, so hiding one means every region."""
    cells = hidden | {f.cell for f in result.findings if f.cell is not None}
    if any(c[0] == "n" for c in cells):
        return set(geography.regions())
    found = {geography.region_of[c[1]] if c[0] == "m" else c[1] for c in cells}
    return found | {geography.region_of[f.inner[0]] for f in result.findings if f.inner is not None}
