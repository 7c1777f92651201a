"""Uptake of the local offer in a release: each uptake line is a count measure of the release, protected
by ``wellbeing.release.protect`` (band rule, exact audit against every earlier release, secondary
suppression), and then the lines that tie together are audited jointly per municipality. Pure.

**Tables.** One measure per (subject, measure) of ``uptake.compute``, named ``uptake:<subject>:<measure>``
(e.g. ``uptake:item:12:uses``, ``uptake:matrix:universal:omgeving:covered``), shown on municipality
pages only (columns: the school types and their total). Its geography holds only the inner cells
(municipality × school type) where a school *can* have the measure: a type the municipality offers
nothing to, or has no schools of, is a known zero to anyone who reads the public offer and the DUO
list, so it is no variable and no figure (the page shows a dash), and "all" adds up the possible
types only. Counting it as an unknown would let the auditor think a cell is protected by a zero that
every reader knows.

**Ties between tables.** Per municipality and school type, with ``I`` the items of one prevention
level and pillar offered to that type, and ``M`` the level × pillar line:

- ``item_i <= M`` and ``M <= sum of item_i`` (for uses and for wishes: a school counts in ``M``
  when it links any item of ``I``);
- ``M uses <= M covered`` (using an offer there covers the cell), equal where the menu card has no
  activity of that level, pillar and type (``activities``: public).

**Not tied to the overview.** ``covered`` counts a school that uses an offer there, or marks a menu
card activity of that level and pillar as done *or wanted*. Counting only done activities would tie
it to the overview's pillar count (every done activity counts there too: ``covered <= uses +
pillar``), and the attacker of the independent audit used that tie to pin a pillar cell the
overview hides. A wanted activity counts in no other table, so no count of the overview bounds
``covered`` or is bounded by it; the prevention-level counts (recognised interventions in the menu
card and in plan actions) are not tied either.

Each table's own audit cannot see the ties, so ``joint`` solves every hidden cell (of this and every
earlier release) and every inner cell of a municipality's uptake tables over all of their
published cells, the inner cells that kept their value between releases, and the ties (of every
release: an earlier release's tie meets later figures through the cells that kept their value) at once
(HiGHS; LP first, MILP when a solution is fractional), and hides more cells of this release until
nothing is pinned or narrower than the protection level. Hiding only removes rows, so each table's
own audit keeps passing.
"""
from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import highspy
import numpy as np

from wellbeing.offer import uptake
from wellbeing.release.audit import Points, Published, Stage, _quiet_highs
from wellbeing.release.compute import CountResult, Ledger
from wellbeing.release.protect import CannotProtect, initial, protect
from wellbeing.release.tables import ALL, PROTECTION, Cell, Geography, Inner

PREFIX = "uptake:"
COLUMNS = (*uptake.TYPES, ALL)
LEVELS = ("m",)


def measure_name(subject: str, measure: str) -> str:
    return f"{PREFIX}{subject}:{measure}"


def split_name(name: str) -> tuple[str, str]:
    """``uptake:item:12:uses`` -> (``item:12``, ``uses``)."""
    subject, _, measure = name[len(PREFIX):].rpartition(":")
    return subject, measure


@dataclass(frozen=True)
class Table:
    geography: Geography          # the possible inner cells only
    values: dict[Inner, int]


def tables(cells: Iterable[uptake.Cell], region_of: dict[int, int]) -> dict[str, Table]:
    """The uptake cells as release tables, one per line; lines no school can have are left out."""
    schools: dict[str, dict[Inner, int]] = defaultdict(dict)
    values: dict[str, dict[Inner, int]] = defaultdict(dict)
    for cell in cells:
        if cell.school_type == ALL or not cell.possible or not cell.schools:
            continue
        name, inner = measure_name(cell.subject, cell.measure), (cell.municipality_id, cell.school_type)
        schools[name][inner] = cell.schools
        if cell.count:
            values[name][inner] = cell.count
    return {name: Table(Geography({m: region_of[m] for m, _ in found}, found), values[name])
            for name, found in schools.items()}


def release(cells: list[uptake.Cell], items: list[uptake.ItemFact], region_of: dict[int, int], year: str,
            minimum: int, ledger: Ledger, activities: Iterable[tuple[str, str, str]]
            ) -> dict[tuple[str, str], CountResult]:
    """Every uptake table of this release, protected alone and then jointly per municipality.
    ``activities``: (level, pillar, school type) the menu card has something for, as in ``compute``.

    Every figure on the page holds for this release's schools, and the values behind every table
    are this release's (the ledger stores them as such): where a table or a municipality cannot be
    protected, the last release's figures that still hold stand in for the new ones, judged by the
    joint audit, and where even that fails only cells whose schools all kept their value show (their
    last figure again); the rest hide."""
    activities = set(activities)
    results: dict[tuple[str, str], CountResult] = {}
    earlier: dict[str, list[Stage]] = {}
    rule: dict[str, dict[Cell, Published]] = {}
    for name, table in sorted(tables(cells, region_of).items()):
        started = time.perf_counter()
        earlier[name] = ledger.stages(year, name)
        hidden_before = ledger.hidden_before(year, name)
        rule[name] = initial(table.geography, table.values, minimum, hidden_before, COLUMNS, LEVELS)
        try:
            published, audit = protect(table.geography, table.values, minimum, earlier[name], hidden_before,
                                       COLUMNS, LEVELS)
            solves = audit.solves
        except CannotProtect:
            # Earlier releases pin a cell of this table whatever it hides: the last release's
            # figures that still hold, the rest hidden; the joint audit below judges them.
            last = _last(earlier[name])
            published = {cell: held(now, last.get(cell)) for cell, now in rule[name].items()}
            solves = 0
        for cell in [c for c in published if c[2] == ALL]:
            if len({t for _, t in table.geography.members(cell)}) == 1:
                del published[cell]     # the same schools as its one type: the page repeats that figure
        results[(year, name)] = CountResult(published, table.values, time.perf_counter() - started, solves,
                                            table.geography)
    by_municipality: dict[int, dict[str, CountResult]] = defaultdict(dict)
    for (_, name), result in results.items():
        for municipality in result.geography.region_of:
            by_municipality[municipality][name] = result
    local_own, local_earlier = _local(results, earlier)
    offered: dict[int, list[uptake.ItemFact]] = defaultdict(list)
    for item in items:
        for municipality in item.municipality_ids:
            offered[municipality].append(item)
    for municipality, own in sorted(by_municipality.items()):
        mine = local_own[municipality]
        try:
            joint(municipality, mine, local_earlier[municipality], offered[municipality], activities, minimum)
        except CannotProtect:
            if not still_true(municipality, mine, own, local_earlier[municipality], rule, offered[municipality],
                              activities, minimum):
                unchanged_only(municipality, mine, own, local_earlier[municipality], rule)
            continue
        for name, result in mine.items():
            own[name].published.update(result.published)
    return results


def held(now: Published, before: Published) -> Published:
    """A cell's figure of the last release where it may stand in this one: the band rule shows the
    cell now (``now``: its band of the new value, None when the rule hides it: too few schools,
    hidden before) and the old figure contains that band, so it holds for this release's schools
    and says no more than the rule allows (not "all" when a school left). Otherwise hidden."""
    if now is None or before is None or not before[0] <= now[0] <= now[1] <= before[1]:
        return None
    return before


def _local(results: dict[tuple[str, str], CountResult], earlier: dict[str, list[Stage]]
           ) -> tuple[dict[int, dict[str, CountResult]], dict[int, dict[str, list[Stage]]]]:
    """Every table of this release and its earlier stages cut into one piece per municipality (the
    uptake tables are shown on municipality pages only, so no published cell spans two of them and
    the joint audit of one municipality needs nothing of the others). A table over every
    municipality (a level x pillar line) is then read once, not once per municipality."""
    def cut(geography: Geography, values: dict[Inner, int], published: dict[Cell, Published]):
        schools: dict[int, dict[Inner, int]] = defaultdict(dict)
        for inner, n in geography.schools.items():
            schools[inner[0]][inner] = n
        shown: dict[int, dict[Cell, Published]] = defaultdict(dict)
        for cell, value in published.items():
            shown[cell[1]][cell] = value
        inner_values: dict[int, dict[Inner, int]] = defaultdict(dict)
        for inner, value in values.items():
            inner_values[inner[0]][inner] = value
        return {m: (Geography({m: geography.region_of[m]}, found), inner_values[m], shown[m])
                for m, found in schools.items()}

    own: dict[int, dict[str, CountResult]] = defaultdict(dict)
    for (_, name), result in results.items():
        for m, (geography, values, published) in cut(result.geography, result.values, result.published).items():
            own[m][name] = CountResult(published, values, 0.0, 0, geography)
    stages: dict[int, dict[str, list[Stage]]] = defaultdict(lambda: defaultdict(list))
    for name, history in earlier.items():
        for stage in history:
            for m, (geography, values, published) in cut(stage.geography, stage.values, stage.published).items():
                stages[m][name].append(Stage(geography, values, published, stage.releases))
    return own, stages


def still_true(municipality: int, mine: dict[str, CountResult], own: dict[str, CountResult],
               earlier: dict[str, list[Stage]], rule: dict[str, dict[Cell, Published]],
               items: list[uptake.ItemFact], activities: set[tuple[str, str, str]], minimum: int) -> bool:
    """When the new uptake of a municipality cannot be protected: its last release's figures that
    still hold for the new values (``held``; ``rule``: the band rule's publication of every table),
    the others hidden, audited jointly again (which may hide more). ``mine``: this municipality's
    piece of every table, ``own``: the whole tables. Returns whether that passed (then ``own`` shows
    it, with the new values behind it).

    Every reader takes a figure on this release's page for this release's schools, and knows which
    cells changed since: an old figure that no longer holds, beside the cells that kept their
    value, pins the cell that changed (municipality 1 of ``tests/test_uptake_fallback.py``: "all" 7
    of the last release shown again, vo and so kept, so po is read as 1-3 while its one school left
    the offer). A figure that still holds is an ordinary figure of this release, so the joint audit
    over the new values judges it like any other."""
    for name, result in mine.items():
        last = _last(earlier.get(name, []))
        for cell in [c for c in result.published if c[1] == municipality]:     # its own cells only
            result.published[cell] = held(rule[name].get(cell), last.get(cell))
    try:
        joint(municipality, mine, earlier, items, activities, minimum)
    except CannotProtect:
        return False
    for name, result in mine.items():
        own[name].published.update(result.published)
    return True


def _latest(stages: list[Stage]) -> Stage | None:
    """The stage of a table the latest release showed (the ledger lists a publication once, where it
    first stood, so the last stage listed need not be the latest)."""
    latest = max(range(len(stages)), key=lambda i: (max(stages[i].releases, default=0), i), default=None)
    return None if latest is None else stages[latest]


def _last(stages: list[Stage]) -> dict[Cell, Published]:
    """What the latest release showed of a table."""
    latest = _latest(stages)
    return {} if latest is None else latest.published


def unchanged_only(municipality: int, mine: dict[str, CountResult], own: dict[str, CountResult],
                   earlier: dict[str, list[Stage]], rule: dict[str, dict[Cell, Published]]) -> None:
    """The last resort, when even the figures that still hold cannot be shown: a cell of this
    municipality shows its last figure again only where every inner cell beneath it kept its value
    and its schools, and is hidden where any changed (and, as every hidden cell, for the rest of the
    school year). A figure over the same cells with the same values is a row the reader holds
    already, and a hidden cell adds no row: this release then tells nothing about the municipality's
    uptake that earlier releases did not, and nothing it shows is untrue. The values behind stay
    this release's, so the ledger and the next release's audit see what was true.

    (Hiding every cell would put cells a reader knows exactly, shown before and unchanged, among the
    hidden ones; showing the last release again whatever changed, with its values put back behind
    it, mixed old figures with the other tables' new ones and was never audited: see
    ``tests/test_uptake_fallback.py``.) ``mine``: this municipality's piece of every table."""
    for name, result in mine.items():
        last = _latest(earlier.get(name, []))
        for cell in [c for c in result.published if c[1] == municipality]:     # its own cells only
            members = set(result.geography.members(cell))
            kept = last is not None and members == set(last.geography.members(cell)) and all(
                last.geography.schools.get(k) == result.geography.schools[k]
                and last.values.get(k, 0) == result.values.get(k, 0) for k in members)
            result.published[cell] = held(rule[name].get(cell), last.published.get(cell)) if kept and last else None
        own[name].published.update(result.published)


# --- the joint audit of one municipality --------------------------------------------------------

@dataclass
class _Model:
    """Variables: (table name, inner cell) of one municipality in each release, one variable while
    the inner cell keeps its value (the attacker knows which kept it); rows: coefficient maps with
    bounds. ``current``: the variable of each (table, inner) in this release."""

    upper: list[int] = field(default_factory=list)
    truth: list[int] = field(default_factory=list)
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    current: dict[tuple[str, Inner], int] = field(default_factory=dict)
    #: (table, stage number, hidden cell) -> (variables, schools, true value)
    hidden: dict[tuple[str, int, Cell], tuple[list[int], int, int]] = field(default_factory=dict)
    #: a shown cell of this release -> (its row, its key and entry in ``hidden`` once hidden)
    shown: dict[tuple[str, Cell], tuple[int, tuple[str, int, Cell], tuple[list[int], int, int]]] = \
        field(default_factory=dict)
    #: the place of every cell's key in the order of the stages, so ``hidden`` keeps that order
    order: dict[tuple[str, int, Cell], int] = field(default_factory=dict)

    def hide(self, cells: Iterable[tuple[str, Cell]]) -> list[int]:
        """These cells of this release are hidden now: their rows hold no more (the caller drops them
        from programs already made) and they join the hidden cells in their places. Returns the rows."""
        rows = []
        for name, cell in cells:
            row, key, entry = self.shown.pop((name, cell))
            self.rows[row] = (self.rows[row][0], -np.inf, np.inf)
            self.hidden[key] = entry
            rows.append(row)
        self.hidden = dict(sorted(self.hidden.items(), key=lambda item: self.order[item[0]]))
        return rows


def _model(municipality: int, stages: dict[str, list[Stage]], ties: list[tuple[dict, float, float]]) -> _Model:
    model = _Model()
    #: release -> (table, inner) -> its variable in that release
    released: dict[int, dict[tuple[str, Inner], int]] = defaultdict(dict)
    for name, history in stages.items():
        previous: dict[Inner, tuple[int, int, int]] = {}      # inner -> (value, N, variable)
        for number, stage in enumerate(history):
            mapping = {}
            for inner, n in sorted(stage.geography.schools.items()):
                if inner[0] != municipality:
                    continue
                value = stage.values.get(inner, 0)
                known = previous.get(inner)
                if known is None or known[:2] != (value, n):
                    known = previous[inner] = (value, n, len(model.upper))
                    model.upper.append(n)
                    model.truth.append(value)
                mapping[inner] = known[2]
            last = number == len(history) - 1
            for cell, shown in stage.published.items():
                if cell[:2] != ("m", municipality):
                    continue
                members = stage.geography.members(cell)
                model.order[(name, number, cell)] = len(model.order)
                if shown is None or last:
                    entry = ([mapping[k] for k in members], stage.geography.size(cell),
                             sum(stage.values.get(k, 0) for k in members))
                if shown is None:
                    model.hidden[(name, number, cell)] = entry
                else:
                    if last:
                        model.shown[(name, cell)] = (len(model.rows), (name, number, cell), entry)
                    model.rows.append(({mapping[k]: 1.0 for k in members}, float(shown[0]), float(shown[1])))
            for release in stage.releases:
                released[release].update({(name, inner): variable for inner, variable in mapping.items()})
        model.current.update({(name, inner): variable for inner, variable in mapping.items()})
    # The ties hold in every release, between the variables of that release: a reader combines an
    # earlier release's tie with figures shown since through the cells that kept their value. The
    # earlier offer is not kept, so today's ties stand in for it where that release's values obey
    # them (a tie the data break, the offer changed since, is no tie; one they obey by chance only
    # makes the audit stricter).
    added: set[tuple[frozenset, float, float]] = set()
    for variables in _tied(model.current, released):
        for coefficients, lo, hi in ties:
            if all(key in variables for key in coefficients):
                row = {variables[key]: c for key, c in coefficients.items()}
                value = sum(c * model.truth[v] for v, c in row.items())
                if lo <= value <= hi and (frozenset(row.items()), lo, hi) not in added:
                    added.add((frozenset(row.items()), lo, hi))
                    model.rows.append((row, lo, hi))
    return model


def _tied(current: dict[tuple[str, Inner], int], released: dict[int, dict[tuple[str, Inner], int]]
          ) -> list[dict[tuple[str, Inner], int]]:
    """The releases whose variables the ties bind: this one and every earlier one."""
    return [current, *released.values()]


def _ties(municipality: int, items: list[uptake.ItemFact], activities: set[tuple[str, str, str]]
          ) -> list[tuple[dict, float, float]]:
    """The rows that tie this municipality's tables together (see the module docstring)."""
    ties = []
    offered = [i for i in items if municipality in i.municipality_ids]
    for level in uptake.LEVELS:
        for pillar in uptake.PILLARS:
            subject = uptake.matrix_subject(level, pillar)
            group = [i for i in offered if (i.level, i.pillar) == (level, pillar)]
            for school_type in uptake.TYPES:
                inner = (municipality, school_type)
                serving = [i for i in group if school_type in i.school_types]
                for measure in ("uses", "wishes"):
                    line = (measure_name(subject, measure), inner)
                    parts = [(measure_name(uptake.item_subject(i.item_id), measure), inner) for i in serving]
                    for part in parts:
                        ties.append(({part: 1.0, line: -1.0}, -np.inf, 0.0))
                    if parts:
                        ties.append(({line: 1.0, **{part: -1.0 for part in parts}}, -np.inf, 0.0))
                uses, covered = (measure_name(subject, "uses"), inner), (measure_name(subject, "covered"), inner)
                if (level, pillar, school_type) in activities:
                    ties.append(({uses: 1.0, covered: -1.0}, -np.inf, 0.0))
                else:   # nothing on the menu card here: only the offer covers it
                    ties.append(({uses: 1.0, covered: -1.0}, 0.0, 0.0))
    return ties


class _Solver:
    """Bounds of sums of variables. Every integral solution found (and the true values) is kept: a
    sum's range over them is already reachable, so most checks need no solve (as ``release.audit``).
    ``points``: solutions kept from an earlier round of the same municipality. Hiding a cell only
    removes a row, so every solution of an earlier round is a solution still."""

    def __init__(self, model: _Model, points: np.ndarray | None = None):
        self.model = model
        self.lp = self._highs(integral=False)
        self.milp = None
        self.found = Points(len(model.upper))
        for point in (points if points is not None else [np.array(model.truth, dtype=float)]):
            self.found.keep(point)

    @property
    def points(self) -> np.ndarray:
        return self.found.all()

    def known(self, index: list[int]) -> tuple[int, int]:
        low, high = self.found.range(index)
        return int(low), int(high)

    def _highs(self, integral: bool) -> highspy.Highs:
        model, highs = self.model, _quiet_highs()
        n = len(model.upper)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, len(model.rows)
        lp.col_cost_, lp.col_lower_ = np.zeros(n), np.zeros(n)
        lp.col_upper_ = np.array(model.upper, dtype=float)
        lp.row_lower_ = np.array([lo for _, lo, _ in model.rows], dtype=float)
        lp.row_upper_ = np.array([hi for _, _, hi in model.rows], dtype=float)
        starts, indices, values = [0], [], []
        for row, _, _ in model.rows:
            indices.extend(row)
            values.extend(row.values())
            starts.append(len(indices))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(values, dtype=float)
        if integral:
            lp.integrality_ = [highspy.HighsVarType.kInteger] * n
        highs.passModel(lp)
        return highs

    def bound(self, index: list[int], maximise: bool) -> int:
        value, solution = self._run(self.lp, index, maximise)
        if np.abs(solution - np.round(solution)).max(initial=0) > 1e-6:
            self.milp = self.milp or self._highs(integral=True)
            value, solution = self._run(self.milp, index, maximise)
        self.found.keep(np.round(solution))
        return int(round(value))

    def drop(self, rows: list[int]) -> None:
        """These rows no longer hold (their cells are hidden now)."""
        index = np.array(sorted(rows), dtype=np.int32)
        free = np.full(len(index), np.inf)
        for highs in (self.lp, self.milp):
            if highs is not None:
                highs.changeRowsBounds(len(index), index, -free, free)

    def spread(self, cost: np.ndarray, maximise: bool) -> bool:
        """One LP over a weighted sum of many sums at once; keeps its solution when it is integral
        (a new point many sums' ranges reach), else nothing. Judges nothing by itself."""
        _, solution = self._run(self.lp, cost, maximise)
        if np.abs(solution - np.round(solution)).max(initial=0) > 1e-6:
            return False
        self.found.keep(np.round(solution))
        return True

    def _run(self, highs: highspy.Highs, index: list[int] | np.ndarray, maximise: bool):
        n = highs.getNumCol()
        if isinstance(index, np.ndarray) and len(index) == n and index.dtype == float:
            cost = index
        else:
            cost = np.zeros(n)
            cost[index] = 1.0
        highs.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        highs.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"joint uptake audit not optimal: {highs.getModelStatus()}")
        return highs.getInfo().objective_function_value, np.array(highs.getSolution().col_value)


def findings(municipality: int, stages: dict[str, list[Stage]], ties: list, minimum: int,
             only: set[tuple[str, tuple]] | None = None, solver: _Solver | None = None) -> list[tuple[str, tuple]]:
    """(table, hidden cell) or (table, inner cell) that the joint model pins or narrows too far.
    ``only``: check just these (a cell that passed passes still after more is hidden); ``solver``:
    one made for the same model, with the solutions it found."""
    model = solver.model if solver is not None else _model(municipality, stages, ties)
    solver = solver or _Solver(model)
    _spread(model, solver, minimum, only)
    found: list[tuple[str, tuple]] = []
    for (name, inner), variable in model.current.items():
        if only is not None and (name, inner) not in only:
            continue
        n = model.upper[variable]
        low, high = solver.known([variable])
        if high < 1:
            high = solver.bound([variable], True)
        if low > n - 1:
            low = solver.bound([variable], False)
        if high < 1 or low > n - 1:
            found.append((name, inner))
    for (name, _, cell), (index, n, value) in model.hidden.items():
        if only is not None and (name, cell) not in only:
            continue
        low, high = solver.known(index)
        if n < minimum:
            floor, ceiling = max(0, value - PROTECTION), min(n, value + PROTECTION)
        else:
            floor, ceiling = (high, low) if high > low else (value - 1, value + 1)
        if high < ceiling:
            high = solver.bound(index, True)
        if low > floor:
            low = solver.bound(index, False)
        if (n < minimum and (low > floor or high < ceiling)) or (n >= minimum and high <= low):
            found.append((name, cell))
    return found


def _spread(model: _Model, solver: _Solver, minimum: int, only: set[tuple[str, tuple]] | None,
            rounds: int = 8) -> None:
    """Before the checks one by one: push every sum still short of its protection interval up (and
    then down) together in one LP, and keep each integral solution as a point, while that settles
    more sums. Most cells are then shown open by the points and need no solve of their own. Only
    points are added (each a solution of the joint program), so every finding is still decided by
    an exact bound: what ``findings`` returns does not change, only how many solves it takes."""
    wanted: list[tuple[list[int], float, float, bool]] = []   # (variables, reach down to, up to, either side)
    for (name, inner), variable in model.current.items():
        if only is None or (name, inner) in only:
            wanted.append(([variable], model.upper[variable] - 1, 1, False))
    for (name, _, cell), (index, n, value) in model.hidden.items():
        if only is None or (name, cell) in only:
            if n < minimum:
                wanted.append((index, max(0, value - PROTECTION), min(n, value + PROTECTION), False))
            else:
                wanted.append((index, value - 1, value + 1, True))   # either side will do: not exact
    _push(lambda: solver.points, solver.spread, wanted, len(model.upper), rounds)


def _push(points: Callable[[], np.ndarray], solve: Callable[[np.ndarray, bool], bool],
           wanted: list[tuple[list[int] | np.ndarray, float, float, bool]], width: int, rounds: int = 8) -> None:
    """Before checking sums one by one: push every sum still short of its interval up (then down)
    together, one LP over their weighted total, while that settles more of them. ``wanted``:
    (variables, the value the sum must reach down to, up to, whether either side will do: "not
    exact"); ``points()``: the solutions known; ``solve(cost, maximise)``: one LP that keeps its
    solution as a point when it is integral. Only points are added, each a solution of the program,
    so every check is still decided by an exact bound; most no longer need a solve of their own."""
    wanted = [w for w in wanted if len(w[0])]
    if not wanted:
        return
    lengths = np.array([len(w[0]) for w in wanted])
    flat = np.concatenate([np.asarray(w[0], dtype=np.int64) for w in wanted])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    owner = np.repeat(np.arange(len(wanted)), lengths)
    floor = np.array([w[1] for w in wanted], dtype=float)
    ceiling = np.array([w[2] for w in wanted], dtype=float)
    either = np.array([w[3] for w in wanted])
    for maximise in (True, False):
        before = None
        for _ in range(rounds):
            reached = np.add.reduceat(points()[:, flat], starts, axis=1)     # points x wanted
            low, high = reached.min(axis=0), reached.max(axis=0)
            short = (high < ceiling) if maximise else (low > floor)
            pending = np.flatnonzero(short & ~(either & (high > low)))
            if not len(pending) or (before is not None and len(pending) >= before):
                break
            before = len(pending)
            if not solve(np.bincount(flat[np.isin(owner, pending)], minlength=width).astype(float), maximise):
                break


def joint(municipality: int, own: dict[str, CountResult], earlier: dict[str, list[Stage]],
          items: list[uptake.ItemFact], activities: set[tuple[str, str, str]], minimum: int) -> None:
    """Hide more of this municipality's uptake cells (``own``: table name -> result of this release;
    ``earlier``: its earlier releases) until the joint audit passes; changes the results in place.
    Every round hides at least one cell, and with every cell of this release hidden each table's
    own audit has already passed, so the loop ends.

    Hiding only removes rows of the joint program, so a round checks again only what the last one
    found and the cells it hid, starting from the solutions found so far."""
    ties = _ties(municipality, items, activities)
    group = _groups(items)
    stages = {name: [*earlier.get(name, []), Stage(r.geography, r.values, r.published)] for name, r in own.items()}
    model = _model(municipality, stages, ties)
    solver = _Solver(model)
    only: set[tuple[str, tuple]] | None = None
    while True:
        found = findings(municipality, stages, ties, minimum, only, solver)
        if not found:
            return
        hidden: set[tuple[str, Cell]] = set()
        candidates = _candidates(municipality, own)
        for name, what in found:
            chosen = _to_hide(municipality, name, what, own, group, hidden, candidates)
            if chosen is not None:
                own[chosen[0]].published[chosen[1]] = None
                hidden.add(chosen)
        if not hidden:
            raise CannotProtect(f"uptake of municipality {municipality}: {found[0]}")
        solver.drop(model.hide(hidden))
        only = set(found) | hidden


def _groups(items: list[uptake.ItemFact]) -> dict[str, tuple[str, str]]:
    """Subject -> the (level, pillar) its ties run through."""
    found = {uptake.item_subject(i.item_id): (i.level, i.pillar) for i in items}
    found.update({uptake.matrix_subject(level, pillar): (level, pillar) for level in uptake.LEVELS
                  for pillar in uptake.PILLARS})
    return found


def _candidates(municipality: int, own: dict[str, CountResult]) -> list[tuple[int, tuple[str, Cell]]]:
    """The shown cells of this release, fewest schools first (then by table and cell)."""
    return sorted((r.geography.size(cell), (table, cell)) for table, r in own.items()
                  for cell, p in r.published.items() if p is not None and cell[:2] == ("m", municipality))


def _to_hide(municipality: int, name: str, what, own: dict[str, CountResult], group: dict[str, tuple[str, str]],
             hidden: set, candidates: list[tuple[int, tuple[str, Cell]]] | None = None) -> tuple[str, Cell] | None:
    """A shown uptake cell of this release to hide for a finding: in a table tied to the finding's
    (same level × pillar) and on the same school type first, then fewest schools. ``candidates``:
    ``_candidates`` of this round (cells hidden since are skipped)."""
    column = what[1] if len(what) == 2 else what[2]
    mine = group.get(split_name(name)[0])
    best, best_rank = None, (True, True)
    for _, (table, cell) in candidates if candidates is not None else _candidates(municipality, own):
        if (table, cell) in hidden or own[table].published.get(cell) is None:
            continue
        rank = (group.get(split_name(table)[0]) != mine, cell[2] not in (column, ALL))
        if best is None or rank < best_rank:
            best, best_rank = (table, cell), rank
            if rank == (False, False):
                break
    return best
