"""Element-score distributions (quartiles and median) in a release. Pure.

A distribution cell is shown only when

- its count of scored schools (the ``scored`` measure of that year) is published and says at
  least ``minimum`` schools — so showing or hiding it tells nothing the count does not;
- every school in it, by the public list, is of a type the element applies to (mbo's equal
  opportunities shows in mbo cells only). Judged on the scored schools instead, a merged or total
  cell showing the element would say that none of its other schools has scores: a link between
  the distribution table and the count table that pins a count to "none";
- no shown cell nested in another shown one differs from it by fewer than ``minimum`` scored
  schools, judged on the *published* counts only (else comparing the two quartiles would
  describe those few schools);
- no two shown cells *cross* (by the public list they share schools, neither holding the other:
  a municipality's "all types" beside its region's po) unless their common part is a cell whose
  published count says at least ``minimum`` scored schools and each of the two, less that part,
  keeps ``minimum`` or more (or exactly none), judged on published counts as above; else the cell
  of the narrower area hides (the municipality's beside a region's, the region's beside the
  nation's), so what one municipality's schools do never hides a region's or the nation's
  figure, and those pages keep their pattern from year to year. Beside the
  region's po quartiles over six schools, the quartiles of five in a municipality whose only po
  school is one of the six bound that school's score to within a point;
- every *atom* of the shown cells (the schools in exactly some of them and in none of the others:
  the region's vo less two of its municipalities' vo, the national "vo, so and mbo" less its vo and
  its mbo) holds ``minimum`` scored schools or more, or none, by the published counts. The two rules
  above are pairwise, and pairs are not enough once three cells overlap: beside the region's vo
  quartiles over eleven scored schools, two municipalities' over five each left the third
  municipality's only vo school as the region's median, to within half a point. The published
  counts bound an atom from below by the count of a cell holding it less the highs of published
  cells filling the rest of that cell (or every school of the rest's inner cells), and from above
  the other way round; an atom that may hold 1 to ``minimum`` - 1 scored schools takes out a cell of
  the narrowest area it involves, the smallest whose going joins it to another atom (the nation's
  mbo beside its vo and "vo, so and mbo" when its so schools are two). A level's atoms are judged
  on the cells and counts of that level and the wider ones, after the pairwise rules, so a region's
  and the nation's pattern still never turn on one municipality's figures.

Why atoms and not more: the attacker's knowledge of a school is what the quartiles of every shown
cell holding it say beside those of the cells leaving it out; every such comparison is a
comparison of unions of atoms, and with every nonempty atom holding ``minimum`` scored schools the
smallest group any comparison isolates is ``minimum`` schools, as for one cell alone. The argument
stops at the quartiles themselves: a shown cell of few schools still pins its order statistics
(three schools: all three scores, as a set), and an atom of ``minimum`` schools whose scores sit
exactly at the quartile ranks of every cell holding it says as much as a cell of ``minimum`` would
(which the rule allows: "one of these five schools scored 50" names no school). The rules above
judge today's counts; a cell that keeps its values (below) describes the schools of then, so new
values are also judged against the schools every earlier shown value describes (the rule between
releases, below; pairwise, on true school sets).

It **moves** only when at least ``minimum`` of its schools changed (entered, left, or changed score)
since the values it shows were computed; otherwise it keeps them. So the difference between two
releases always rests on ``minimum`` schools or more: one school finalising a round moves nothing.
And new values show only when they stand apart from **every cell any earlier release showed** in
that school year (``apart_from_earlier``): the reader keeps every release, so a cell shown for the
first time is as comparable to last month's cells as to its neighbours on the page.
Quartiles are rounded to whole points.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from statistics import quantiles

from wellbeing.release.audit import Published
from wellbeing.release.tables import COLUMNS, TYPES, Cell, Geography, Inner, column_types

Score = tuple[int, str, float]              # (municipality, school type, score) of one school
Values = tuple[int, int, int]               # q1, median, q3


def by_inner(scores: dict[int, Score]) -> dict[tuple[int, str], dict[int, float]]:
    """Scores grouped by municipality × school type, so a cell gathers its schools quickly."""
    grouped: dict[tuple[int, str], dict[int, float]] = {}
    for school, (m, t, score) in scores.items():
        grouped.setdefault((m, t), {})[school] = score
    return grouped


def members_of(geography: Geography, cell: Cell, grouped: dict[tuple[int, str], dict[int, float]]) -> dict[int, float]:
    result: dict[int, float] = {}
    for key in geography.members(cell):
        result.update(grouped.get(key, {}))
    return result


def summary(values: list[float]) -> Values:
    if len(values) == 1:
        q1 = median = q3 = values[0]
    else:
        q1, median, q3 = quantiles(values, n=4, method="inclusive")
    return (round(q1), round(median), round(q3))


def changed(before: dict[int, float], now: dict[int, float]) -> int:
    """Schools that entered, left or changed score."""
    return len(before.keys() ^ now.keys()) + sum(1 for s in before.keys() & now.keys() if before[s] != now[s])


def parents(geography: Geography, cell: Cell) -> list[Cell]:
    """The cells that hold every school of ``cell`` and more, by the public list, at any level: a
    municipality without po schools is held by "vo, so and mbo together" as much as by "all
    types", and a region whose mbo schools all lie in one municipality is held by that
    municipality's merged cell."""
    inner = geography.member_set(cell)
    if not inner:
        return []
    m, t = min(inner)
    holders = [(level, area, column) for level, area in (("m", m), ("r", geography.region_of[m]), ("n", 0))
               for column in COLUMNS if t in column_types(column)]
    return [h for h in holders if h != cell and inner < geography.member_set(h)]


def crossing(geography: Geography, cell: Cell) -> list[tuple[Cell, Cell]]:
    """The cells of a wider area that cross ``cell`` (see the module docstring), each with the cell
    of ``cell``'s area that holds exactly the schools the two share (absent when no cell does)."""
    inner = geography.member_set(cell)
    level, area, _ = cell
    if not inner or level == "n":
        return []
    m = min(inner)[0]
    wider = [("r", geography.region_of[m]), ("n", 0)] if level == "m" else [("n", 0)]
    result = []
    for other in ((w_level, w_area, column) for w_level, w_area in wider for column in COLUMNS):
        outer = geography.member_set(other)
        shared = inner & outer
        if not shared or inner <= outer or outer <= inner:
            continue
        common = next(((level, area, c) for c in COLUMNS if geography.member_set((level, area, c)) == shared),
                      (level, area, ""))
        result.append((other, common))
    return result


def _apart(counts: dict[Cell, Published], whole: Cell, part: Cell, minimum: int) -> bool:
    """``whole`` less ``part`` keeps ``minimum`` scored schools or more, or exactly none, on the
    published counts."""
    small, large = counts[part], counts[whole]
    assert small is not None and large is not None
    return small[0] == small[1] == large[0] == large[1] or large[0] - small[1] >= minimum


def _shared_safely(counts: dict[Cell, Published], cell: Cell, other: Cell, common: Cell, minimum: int) -> bool:
    """Two crossing cells may both show: their common part is a cell with ``minimum`` scored
    schools or more by its published count, and each of them less that part keeps ``minimum`` or
    more, or none."""
    found = counts.get(common)
    return (found is not None and found[0] >= minimum and _apart(counts, cell, common, minimum)
            and _apart(counts, other, common, minimum))


def shown_cells(geography: Geography, cells: list[Cell], counts: dict[Cell, Published], scores: dict,
                having: dict, minimum: int, types: frozenset[str] = frozenset(TYPES)) -> set[Cell]:
    """Which distribution cells may show (see the module docstring). ``scores``: every scored school,
    ``having``: those with this element, both grouped by ``by_inner``; ``types``: the school types
    the element applies to."""
    candidates = set()
    for cell in cells:
        count = counts.get(cell)
        if count is None or count[0] < minimum:
            continue
        if any(t not in types for _, t in geography.members(cell)):
            continue
        if sum(len(having.get(k, ())) for k in geography.members(cell)) != sum(
                len(scores.get(k, ())) for k in geography.members(cell)):
            continue
        candidates.add(cell)
    # Area by area, widest first: whether a cell shows then rests on its own area and the wider
    # ones only, so the region's and the nation's pattern never turns on one municipality. Within an
    # area the crossing rule goes first: a municipality's "all types" that must hide beside the
    # region's po no longer takes its po cell with it (by the nested rule, "all types" less a small
    # vo/so/mbo remainder would hide the po cell, which on its own is safe to show).
    for level in ("n", "r", "m"):
        ordered = sorted((c for c in candidates if c[0] == level), key=lambda c: (geography.size(c), c))
        for cell in ordered:
            if any(other in candidates and not _shared_safely(counts, cell, other, common, minimum)
                   for other, common in crossing(geography, cell)):
                candidates.discard(cell)
        changed_any = True
        while changed_any:
            changed_any = False
            for child in ordered:
                if child in candidates and any(
                        parent in candidates and not _apart(counts, parent, child, minimum)
                        for parent in parents(geography, child)):
                    candidates.discard(child)
                    changed_any = True
        _atoms_apart(geography, candidates, counts, minimum, level)
    return candidates


def apart_from_earlier(now: dict[int, float], then: dict[int, float], minimum: int) -> bool:
    """Quartiles computed now from ``now`` may stand beside quartiles shown earlier from ``then``:
    the schools in both with the same score, those only then (or with another score then) and those
    only now each number none or ``minimum`` and more. The rule of nested and crossing cells, over
    time: a cell of this release is as comparable to any cell an earlier release showed as to its
    neighbours on the page."""
    small, large = (then, now) if len(then) <= len(now) else (now, then)
    same = sum(1 for school, score in small.items() if large.get(school) == score)
    return all(part == 0 or part >= minimum for part in (same, len(then) - same, len(now) - same))


def _by_area(geography: Geography, earlier: Sequence[tuple[Cell, Callable[[], dict[int, float]]]]):
    """The earlier cells that can share schools with a cell: those of its own area, of the areas
    holding it and of the areas it holds (a region's municipalities), so a release of the whole
    country compares each new cell with tens of earlier ones, not thousands."""
    areas: dict[tuple[str, int], list[tuple[Cell, Callable[[], dict[int, float]]]]] = {}
    for shown in earlier:
        areas.setdefault(shown[0][:2], []).append(shown)
    municipalities: dict[int, list[int]] = {}
    for m, r in geography.region_of.items():
        municipalities.setdefault(r, []).append(m)

    def nearby(cell: Cell) -> list[tuple[Cell, Callable[[], dict[int, float]]]]:
        level, area, _ = cell
        if level == "n":
            return list(earlier)
        if level == "r":
            keys = [("n", 0), ("r", area), *(("m", m) for m in municipalities.get(area, ()))]
        else:
            keys = [("n", 0), ("r", geography.region_of[area]), ("m", area)]
        return [shown for key in keys for shown in areas.get(key, ())]
    return nearby
#: the levels whose cells and counts a level's decision rests on: its own and the wider ones
WIDER = {"n": ("n",), "r": ("n", "r"), "m": ("n", "r", "m")}


def _atoms_apart(geography: Geography, shown: set[Cell], counts: dict[Cell, Published], minimum: int,
                 level: str) -> None:
    """Hide cells of ``level`` from ``shown`` until every atom of the shown cells (the schools in
    exactly some of them and in none of the others, see the module docstring) holds ``minimum``
    scored schools or more, or none, by the published counts of ``level`` and the wider levels.
    An atom of too few takes out the smallest cell of ``level`` among those that make it: those
    holding it, or else those that cut it out of an atom of the wider levels alone (which held
    enough). Cells over the same schools go together: they are one figure."""
    allowed = WIDER[level]
    signature: dict[Inner, frozenset[Cell]] = {}
    for cell in shown:
        if cell[0] in allowed:
            for inner in geography.members(cell):
                signature[inner] = signature.get(inner, frozenset()) | {cell}
    atoms: dict[frozenset[Cell], set[Inner]] = {}
    for inner, cells_of in signature.items():
        atoms.setdefault(cells_of, set()).add(inner)
    waiting = sorted(atoms, key=lambda s: sorted(s))
    while waiting:
        holding = waiting.pop()
        atom = atoms.get(holding)
        if atom is None or _settled(geography, frozenset(atom), holding, counts, minimum, allowed):
            continue
        narrowest = _merging(geography, shown, atoms, holding, level)
        if narrowest is None:
            continue        # an atom of the wider levels alone: decided there
        same = geography.member_set(narrowest)
        for cell in [c for c in shown if c[0] == level and geography.member_set(c) == same]:
            shown.discard(cell)
            for inner in geography.members(cell):
                before = signature[inner]
                signature[inner] = before - {cell}
                atoms[before].discard(inner)
                if not atoms[before]:
                    del atoms[before]
                atoms.setdefault(signature[inner], set()).add(inner)
                waiting += [before, signature[inner]]
        waiting.append(holding)        # the cell taken out may not have been the last between it and another
        waiting = [s for s in dict.fromkeys(waiting) if s and s in atoms]


def _merging(geography: Geography, shown: set[Cell], atoms: dict[frozenset[Cell], set[Inner]],
             holding: frozenset[Cell], level: str) -> Cell | None:
    """The cell of ``level`` to hide for the atom held by ``holding``: the smallest whose going
    joins the atom to another one (a cell holding it whose absence leaves the signature of another
    atom, or a cell cutting it out of a larger one); else the smallest of ``level`` holding it or
    cutting it out of an atom of the wider levels."""
    same: dict[frozenset[Inner], frozenset[Cell]] = {}
    for cell in shown:
        if cell[0] == level:
            key = geography.member_set(cell)
            same[key] = same.get(key, frozenset()) | {cell}
    joining = [c for c in holding if c[0] == level and holding - same[geography.member_set(c)] in atoms]
    joining += [c for s in atoms if s > holding for c in s - holding
                if c[0] == level and s - holding == same[geography.member_set(c)]]
    if not joining:
        joining = [c for c in holding if c[0] == level]
    if not joining:
        wider = frozenset(c for c in holding if c[0] != level)
        joining = [c for s in atoms if s - {c for c in s if c[0] == level} == wider for c in s if c[0] == level]
    return min(joining, key=lambda c: (geography.size(c), c), default=None)


def _cover(geography: Geography, inner: frozenset[Inner], counts: dict[Cell, Published],
           allowed: tuple[str, ...]) -> tuple[int, int]:
    """Bounds on the scored schools in ``inner`` from the published counts of cells wholly inside
    it (widest first, none overlapping): the sum of their lows, and of their highs plus every
    school of the inner cells none of them covers."""
    left: dict[tuple[str, int], set[Inner]] = {}        # per area: its inner cells not yet covered
    for key in inner:
        for area in (("n", 0), ("r", geography.region_of[key[0]]), ("m", key[0])):
            left.setdefault(area, set()).add(key)
    low = high = 0
    for level, area in sorted(left, key=lambda a: ("nrm".index(a[0]), a[1])):
        if level not in allowed:
            continue
        for column in reversed(COLUMNS):        # "all types" first, then "vo, so and mbo", then each type
            remaining = left[(level, area)]
            if not remaining:
                break
            cell = (level, area, column)
            found = counts.get(cell)
            if found is None:
                continue
            members = geography.member_set(cell)
            if not members or not members <= remaining or not members <= inner:
                continue
            for key in members:
                for wide in (("n", 0), ("r", geography.region_of[key[0]]), ("m", key[0])):
                    left[wide].discard(key)
            low += found[0]
            high += found[1]
    high += sum(geography.schools[key] for key in left.get(("n", 0), ()))
    return low, high


def _settled(geography: Geography, inner: frozenset[Inner], holding: Iterable[Cell],
             counts: dict[Cell, Published], minimum: int, allowed: tuple[str, ...]) -> bool:
    """``inner`` holds ``minimum`` scored schools or more, or none, by the published counts: by the
    count of a shown cell holding it less what the rest of that cell can hold (narrowest first),
    or by the counts of cells filling it (``_cover``)."""
    low, high = 0, sum(geography.schools[key] for key in inner)
    for cell in sorted(holding, key=lambda c: (geography.size(c), c)):
        found = counts[cell]
        assert found is not None
        rest_low, rest_high = _cover(geography, geography.member_set(cell) - inner, counts, allowed)
        low, high = max(low, found[0] - rest_high), min(high, found[1] - rest_low)
        if low >= minimum or high <= 0:
            return True
    own_low, own_high = _cover(geography, inner, counts, allowed)
    return max(low, own_low) >= minimum or min(high, own_high) <= 0


def release(geography: Geography, cells: list[Cell], counts: dict[Cell, Published], scores: dict,
            having: dict, previous: dict[Cell, tuple[Values, dict[int, float]]],
            minimum: int, types: frozenset[str] = frozenset(TYPES),
            earlier: Sequence[tuple[Cell, Callable[[], dict[int, float]]]] = ()
            ) -> dict[Cell, tuple[Values, bool] | None]:
    """Per cell: (values, recomputed) when shown, None when hidden. ``scores`` and ``having`` are
    grouped by ``by_inner`` (every scored school; those with this element). ``previous`` holds, per
    cell, the values last shown and the scores they were computed from; ``earlier``: every cell any
    earlier release showed, with a function reading the scores its values were computed from. New values stand beside
    every one of those only when ``apart_from_earlier``; else the cell keeps its last values, or
    hides when it has none (the soak of the exact attacker found the case: a national mbo cell shown
    for the first time over five schools, one of which had changed its score, beside a region's
    "vo, so and mbo" of the release before over the same schools and one vo school, gave away the
    changed school's score to within half a point)."""
    result: dict[Cell, tuple[Values, bool] | None] = {}
    show = shown_cells(geography, cells, counts, scores, having, minimum, types)
    nearby = _by_area(geography, earlier)
    for cell in cells:
        if cell not in show:
            result[cell] = None
            continue
        now = members_of(geography, cell, having)
        before = previous.get(cell)
        if before is not None and changed(before[1], now) < minimum:
            result[cell] = (before[0], False)
            continue
        inner = geography.member_set(cell)
        if all(apart_from_earlier(now, then(), minimum) for other, then in nearby(cell)
               if inner & geography.member_set(other)):
            result[cell] = (summary(list(now.values())), True)
        else:
            result[cell] = None if before is None else (before[0], False)
    return result
