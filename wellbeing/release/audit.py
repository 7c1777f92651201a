"""The exact audit of one measure over every release: what can an attacker who holds all of them
work out? Pure (numpy and HiGHS only).

**Attacker.** They hold every published cell of this measure in every release (this one and all
earlier ones), the public number of schools per municipality × school type, and they know which
inner cells kept their value from one release to the next (the strongest reading of "compare two
releases": only what changed is unknown, never how). Each inner cell is an integer
``0 <= x <= N``; every published cell is ``lo <= sum of its inner cells <= hi``.

**Requirements** checked for the candidate release (the last stage):

1. no inner cell, in any release, is pinned to 0 or to all of its schools (that would say something
   about every school in it, and about the only one when ``N = 1``);
2. every hidden cell resting on fewer than ``minimum`` schools (a sensitive cell) has an interval
   ``[min, max]`` reaching at least ``PROTECTION`` schools below and above its true value (clipped
   to ``[0, N]``): upper and lower protection levels in the sense of τ-ARGUS and sdcTable;
3. every other hidden cell is not exact (``max > min``). So no hidden figure is ever determined,
   "none" and "all" included.

**Exactness.** Every min and max is a linear program solved by HiGHS. The rows of a two-dimensional
hierarchical table (municipality within region × school type, with margins) form a network matrix,
which is totally unimodular, so every vertex of the LP is integral and the LP bounds equal the
integer-program bounds. We do not rely on that alone: a solution that is not integral (the merged
vo+so+mbo cells and the national rows may break the structure) is solved again as a MILP. Any
feasible integral point certifies part of an interval; such points are kept and reused, so most
checks need no solve at all.

**Linked measures.** Some measures imply others school by school: a school with element scores
this year has finalised a round this year (``scored`` ≤ ``participation``). The attacker knows
that, so such a pair is audited together: ``below`` holds the stages of the implying measure, and
for every release both published, each inner cell obeys ``below <= this`` (stages say in which
releases they stood). The hidden cells of both are checked in the joint program; only this
measure's cells can be hidden more (``below`` passed its own audit, and hiding all of this measure
leaves it as it was).

**Decomposition.** Inner cells of different regions meet only in national cells. A national cell's
row loses every region whose own total in that column is published exactly (that part is a known
constant); regions still linked form one LP, the others are solved apart, and the min/max of a sum
over independent parts is the sum of their mins/maxes.
"""
from __future__ import annotations

import os
import sys
from collections import defaultdict
from dataclasses import dataclass, field

import highspy
import numpy as np

from wellbeing.release.tables import PROTECTION, Cell, Geography, Inner, region_of_cell

Published = tuple[int, int] | None   # (lo, hi); None when hidden


@dataclass
class Stage:
    """One release of one measure: the public geography, the true values and what was shown."""

    geography: Geography
    values: dict[Inner, int]
    published: dict[Cell, Published]
    #: the releases this publication stood in (ids; empty for the candidate, which links to the
    #: candidate of a linked measure)
    releases: frozenset[int] = frozenset()


@dataclass
class Finding:
    cell: Cell | None                 # a hidden cell that is too narrow
    inner: Inner | None               # an inner cell pinned to 0 or to all
    interval: tuple[int, int]
    binding: set[Cell] = field(default_factory=set)   # cells of this release whose rows pin it


@dataclass
class Result:
    intervals: dict[Cell, tuple[int, int]] = field(default_factory=dict)   # hidden cells of the candidate
    findings: list[Finding] = field(default_factory=list)
    solves: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings


def _quiet_highs() -> highspy.Highs:
    """A HiGHS instance that prints nothing. HiGHS writes its banner to the process's stdout as it is
    made, before any option can stop it, and workers log JSON lines on stdout; so the banner goes to
    /dev/null (audits run in the work horse, a single thread)."""
    sys.stdout.flush()
    saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)
    return highs


class Points:
    """Integral solutions of one program, kept as the rows of an array that doubles when full: a sum's
    range over them is already reachable, so most bounds need no solve (shared by this audit and
    the joint uptake audit)."""

    def __init__(self, width: int):
        self.array = np.empty((16, width))
        self.count = 0

    def all(self) -> np.ndarray:
        return self.array[:self.count]

    def keep(self, point: np.ndarray) -> None:
        if self.count == len(self.array):
            self.array = np.vstack([self.array, np.empty_like(self.array)])
        self.array[self.count] = point
        self.count += 1

    def range(self, index: list[int] | np.ndarray) -> tuple[float, float]:
        """The smallest and largest sum of these variables over the solutions kept."""
        sums = self.all()[:, index].sum(axis=1)
        return float(sums.min()), float(sums.max())


class _Component:
    """One LP: the variables of some regions and the rows that touch them, solved many times with
    different objectives and a warm start."""

    def __init__(self, upper: np.ndarray, rows: list[tuple[np.ndarray, np.ndarray, float, float]], start: np.ndarray,
                 keys: list[frozenset]):
        self.upper = upper
        self.rows = rows
        self.keys = keys
        self.binding: list[frozenset] = []
        self.highs = _highs(upper, rows, integral=False)
        self.milp = None
        self.points = Points(len(upper))
        self.points.keep(start)
        self.solves = 0
        self.last: np.ndarray = np.array([], dtype=np.int32)

    def known_range(self, index: np.ndarray) -> tuple[float, float]:
        return self.points.range(index)

    def bound(self, index: np.ndarray, maximise: bool) -> int:
        self.solves += 1
        value, solution = _solve(self.highs, self, index, maximise)
        duals = np.array(self.highs.getSolution().row_dual)
        self.binding = [self.keys[i] for i in np.flatnonzero(np.abs(duals) > 1e-9)]
        if len(solution) and np.abs(solution - np.round(solution)).max() > 1e-6:
            if self.milp is None:
                self.milp = _highs(self.upper, self.rows, integral=True)
            value, solution = _solve(self.milp, None, index, maximise)
        self.points.keep(np.round(solution))
        return int(round(value))


def _highs(upper: np.ndarray, rows, integral: bool) -> highspy.Highs:
    highs = _quiet_highs()
    n = len(upper)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, len(rows)
    lp.col_cost_ = np.zeros(n)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = upper.astype(float)
    lp.row_lower_ = np.array([lo for _, _, lo, _ in rows], dtype=float)
    lp.row_upper_ = np.array([hi for _, _, _, hi in rows], dtype=float)
    starts, indices, values = [0], [], []
    for index, coefficients, _, _ in rows:
        indices.extend(index.tolist())
        values.extend(coefficients.tolist())
        starts.append(len(indices))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(values, dtype=float)
    if integral:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    highs.passModel(lp)
    return highs


def _solve(highs: highspy.Highs, owner: _Component | None, index: np.ndarray, maximise: bool):
    n = highs.getNumCol()
    if owner is not None:
        if len(owner.last):
            highs.changeColsCost(len(owner.last), owner.last, np.zeros(len(owner.last)))
        owner.last = index
    else:
        highs.changeColsCost(n, np.arange(n, dtype=np.int32), np.zeros(n))
    highs.changeColsCost(len(index), index, np.ones(len(index)))
    highs.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
    highs.run()
    if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"audit LP not optimal: {highs.getModelStatus()}")
    return highs.getInfo().objective_function_value, np.array(highs.getSolution().col_value)


def audit(stages: list[Stage], minimum: int, only: set[int] | None = None, below: list[Stage] = ()) -> Result:
    """Audit the last stage against itself and every earlier one (see the module docstring).

    ``only``: check only the inner and hidden cells of these regions (and the national cells).
    Hiding a cell only removes information, so cells that passed stay passing; ``protect`` audits
    again only where it hid something. ``below``: the stages of a measure that implies this one,
    school by school, its candidate last; audited together with it."""
    candidate = stages[-1]
    measures = [list(stages), list(below)]
    # Variables: an inner cell of a measure gets a new variable whenever its value or its number of
    # schools changed.
    upper: list[int] = []
    truth: list[int] = []
    owner: list[Inner] = []
    current: list[list[dict[Inner, int]]] = []
    for measure_stages in measures:
        previous: dict[Inner, tuple[int, int, int]] = {}   # inner -> (value, N, variable)
        mappings = []
        for stage in measure_stages:
            mapping = {}
            for key, n in stage.geography.schools.items():
                value = stage.values.get(key, 0)
                known = previous.get(key)
                if known is None or known[:2] != (value, n):
                    known = (value, n, len(upper))
                    upper.append(n)
                    truth.append(value)
                    owner.append(key)
                    previous[key] = known
                mapping[key] = known[2]
            mappings.append(mapping)
        current.append(mappings)
    every_stage = [*stages, *below]
    region_of_var = [_region_anywhere(every_stage, key[0]) for key in owner]
    rows: dict[frozenset, list[float]] = {}
    made_by: dict[frozenset, set[Cell]] = defaultdict(set)    # rows -> cells of the candidate behind them
    for measure_stages, mappings in zip(measures, current):
        for stage, mapping in zip(measure_stages, mappings):
            for cell, shown in stage.published.items():
                if shown is None:
                    continue
                lo, hi = float(shown[0]), float(shown[1])
                members = list(stage.geography.members(cell))
                if cell[0] == "n":
                    for region in stage.geography.regions():
                        part = ("r", region, cell[2])
                        exact = stage.published.get(part)
                        part_members = stage.geography.members(part)
                        if exact is not None and exact[0] == exact[1] and part_members:
                            lo, hi = lo - exact[0], hi - exact[0]
                            drop = set(part_members)
                            members = [k for k in members if k not in drop]
                if not members:
                    continue
                key = frozenset(mapping[k] for k in members)
                if stage is candidate:
                    made_by[key].add(cell)
                bounds = rows.get(key)
                rows[key] = [lo, hi] if bounds is None else [max(bounds[0], lo), min(bounds[1], hi)]
    # Links: in every release that published both, each inner cell of ``below`` is at most this one's.
    links: set[tuple[int, int]] = set()
    for lower, lower_mapping in zip(measures[1], current[1]):
        for stage, mapping in zip(measures[0], current[0]):
            same_release = (lower is measures[1][-1] and stage is candidate) or (lower.releases & stage.releases)
            if same_release:
                # Only where the data obey the rule: summaries refreshed at different moments may
                # briefly disagree, and a rule the data break tells the attacker nothing there.
                links |= {(lower_mapping[k], mapping[k]) for k in lower_mapping.keys() & mapping.keys()
                          if truth[lower_mapping[k]] <= truth[mapping[k]]}
    # Components: regions tied by a row (a link stays within its inner cell, so within a region).
    parent: dict[int, int] = {}

    def find(region: int) -> int:
        while parent.setdefault(region, region) != region:
            parent[region] = parent[parent[region]]
            region = parent[region]
        return region
    for variable_set in rows:
        regions = {region_of_var[v] for v in variable_set}
        first = find(next(iter(regions)))
        for region in regions:
            parent[find(region)] = first
    groups: dict[int, list[int]] = defaultdict(list)
    for variable, region in enumerate(region_of_var):
        groups[find(region)].append(variable)
    local: dict[int, tuple[int, int]] = {}      # variable -> (component id, position)
    for component_id, members in enumerate(groups.values()):
        for position, variable in enumerate(members):
            local[variable] = (component_id, position)
    component_rows: dict[int, list] = defaultdict(list)
    component_keys: dict[int, list] = defaultdict(list)
    for variable_set, (lo, hi) in rows.items():
        component_id = local[next(iter(variable_set))][0]
        index = np.array(sorted(local[v][1] for v in variable_set), dtype=np.int32)
        component_rows[component_id].append((index, np.ones(len(index)), lo, hi))
        component_keys[component_id].append(variable_set)
    for lower, upper_variable in sorted(links):
        component_id = local[lower][0]
        pair = sorted([(local[lower][1], 1.0), (local[upper_variable][1], -1.0)])
        component_rows[component_id].append((np.array([p for p, _ in pair], dtype=np.int32),
                                             np.array([c for _, c in pair]), -np.inf, 0.0))
        component_keys[component_id].append(("link", lower, upper_variable))
    member_lists = list(groups.values())

    class Lazy(dict):
        """Components are built when first solved: a pass that audits a few regions again builds
        only theirs (and the national one that ties them)."""

        def __missing__(self, component_id: int) -> _Component:
            members = member_lists[component_id]
            built = _Component(np.array([upper[v] for v in members]), component_rows[component_id],
                               np.array([truth[v] for v in members]), component_keys[component_id])
            self[component_id] = built
            return built
    components = Lazy()

    result = Result()

    def split(variable_ids) -> dict[int, np.ndarray]:
        parts: dict[int, list[int]] = defaultdict(list)
        for v in variable_ids:
            component_id, position = local[v]
            parts[component_id].append(position)
        return {c: np.array(p, dtype=np.int32) for c, p in parts.items()}

    exact_singletons = {next(iter(s)) for s, (lo, hi) in rows.items() if len(s) == 1 and lo == hi}
    for variable, (key, n) in enumerate(zip(owner, upper)):
        if variable in exact_singletons and 0 < truth[variable] < n:
            continue
        if only is not None and region_of_var[variable] not in only:
            continue
        component_id, position = local[variable]
        component = components[component_id]
        index = np.array([position], dtype=np.int32)
        low, high = component.known_range(index)
        binding: set[Cell] = set()
        if high < 1:
            high = component.bound(index, True)
            binding |= {c for row in component.binding for c in made_by.get(row, ())}
        if low > n - 1:
            low = component.bound(index, False)
            binding |= {c for row in component.binding for c in made_by.get(row, ())}
        if high < 1 or low > n - 1:
            result.findings.append(Finding(None, key, (int(low), int(high)), binding))
    # Hidden cells of this release and of every earlier one (of both measures when linked): new
    # figures can narrow an old hidden cell through the inner cells that kept their value. Cells over
    # the same variables are one check.
    targets: dict[frozenset, tuple[Cell, int, int, bool]] = {}
    for measure_stages, mappings in zip(measures, current):
        for number in range(len(measure_stages) - 1, -1, -1):
            stage, mapping = measure_stages[number], mappings[number]
            for cell, shown in stage.published.items():
                if shown is not None:
                    continue
                if only is not None and cell[0] != "n" and region_of_cell(stage.geography, cell) not in only:
                    continue
                members = stage.geography.members(cell)
                variable_set = frozenset(mapping[k] for k in members)
                if variable_set and variable_set not in targets:
                    targets[variable_set] = (cell, stage.geography.size(cell),
                                             sum(stage.values.get(k, 0) for k in members), stage is candidate)
    for variable_set, (cell, n, value, now) in targets.items():
        parts = split(variable_set)
        known = [components[c].known_range(index) for c, index in parts.items()]
        low, high = sum(k[0] for k in known), sum(k[1] for k in known)
        if n < minimum:
            floor, ceiling = max(0, value - PROTECTION), min(n, value + PROTECTION)
        elif high > low:
            floor, ceiling = high, low   # not exact: the known points already show two values
        else:
            floor, ceiling = value - 1, value + 1   # solve both ends, then judge the width below
        binding: set[Cell] = set()
        if low > floor:
            low = 0
            for c, index in parts.items():
                low += components[c].bound(index, False)
                binding |= {b for row in components[c].binding for b in made_by.get(row, ())}
        if high < ceiling:
            high = 0
            for c, index in parts.items():
                high += components[c].bound(index, True)
                binding |= {b for row in components[c].binding for b in made_by.get(row, ())}
        if now:
            result.intervals[cell] = (int(low), int(high))
        if (n < minimum and (low > floor or high < ceiling)) or (n >= minimum and high <= low):
            result.findings.append(Finding(cell, None, (int(low), int(high)), binding))
    result.solves = sum(c.solves for c in components.values())
    return result


def _region_anywhere(stages: list[Stage], municipality: int) -> int:
    for stage in reversed(stages):
        if municipality in stage.geography.region_of:
            return stage.geography.region_of[municipality]
    return -1
