"""An independent attacker, written apart from ``wellbeing.release``: it reads only what viewers read
(the CSV export of every municipality, region and national page of every release) and the public
list of schools, and solves exact integer programs with ``scipy.optimize.milp``.

It is the strongest attacker the issue names: every page of every release, and it also knows which
inner cells (municipality × school type) of a measure kept their true value from one release to the
next (only *how* the others changed is unknown). The test oracle (true values) is used only to judge
the result: whether a hidden cell's interval reaches one school below and above its true value, and
whether a school's fact is implied.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

TYPES = ("po", "vo", "so", "mbo")
COUNT_SECTIONS = ("participation", "pillars", "prevention", "certificates", "scored", "priorities")


def members(level: str, area: int, column: str, region_of: dict[int, int], schools: dict) -> list:
    if column == "all":
        types = TYPES
    elif column == "vo+so+mbo":
        types = TYPES[1:]
    else:
        types = (column,)
    return sorted(k for k in schools if k[1] in types and (
        level == "n" or (level == "r" and region_of[k[0]] == area) or (level == "m" and k[0] == area)))


def parse_count(text: str) -> tuple[int, int]:
    if "–" in text:
        low, high = text.split("–")
        return int(low), int(high)
    return int(text), int(text)


@dataclass
class Release:
    """What a viewer holds of one release, plus the public list and the oracle."""

    region_of: dict[int, int]
    schools: dict[tuple[int, str], int]                     # public: (municipality, type) -> N
    pages: dict[tuple[str, int], str]                        # (level, area) -> CSV text
    truth: dict[tuple, dict[tuple[int, str], int]]           # oracle: measure -> inner -> value
    scores: dict[str, dict[int, tuple[int, str, dict]]] = field(default_factory=dict)  # oracle, per year


def published_counts(release: Release) -> dict[tuple, dict[tuple[str, int, str], tuple[int, int] | None]]:
    """measure (section, label, year) -> cell -> (lo, hi) or None when hidden."""
    result: dict[tuple, dict] = defaultdict(dict)
    for (level, area), text in release.pages.items():
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        header = rows[0]
        at = {name: header.index(name) for name in header}
        for row in rows[1:]:
            if row[at["section"]] not in COUNT_SECTIONS:
                continue
            measure = (row[at["section"]], row[at["row"]], row[at["school_year"]])
            cell = (level, area, row[at["school_type"]])
            status = row[at["status"]]
            if row[at["section"]] == "priorities" and not row[at["row"]]:
                continue        # the whole list is protected: no figure
            if status == "shown":
                result[measure][cell] = parse_count(row[at["count"]])
            elif status.startswith("hidden") and "no-schools" not in status:
                result[measure][cell] = None
    return result


def published_scores(release: Release) -> dict[tuple, tuple[str, str, str]]:
    """(level, area, column, year, element) -> (q1, median, q3) for every shown distribution."""
    result = {}
    for (level, area), text in release.pages.items():
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
        at = {name: i for i, name in enumerate(rows[0])}
        for row in rows[1:]:
            if row[at["section"]] == "element_scores" and row[at["status"]] == "shown":
                result[(level, area, row[at["school_type"]], row[at["school_year"]], row[at["row"]])] = (
                    row[at["q1"]], row[at["median"]], row[at["q3"]])
    return result


@dataclass
class Leak:
    release: int
    measure: tuple
    what: tuple
    interval: tuple[int, int]
    true: int


def attack_counts(releases: list[Release], measure_of: dict[tuple, tuple], minimum: int,
                  intervals: dict | None = None, implied: dict[tuple, tuple] | None = None,
                  element_types: dict[str, tuple[str, ...]] | None = None) -> list[Leak]:
    """Exact min/max of every hidden cell and every inner cell, over all releases. ``measure_of``
    maps a CSV measure key (section, label, year) to the oracle's measure key.

    Measures are attacked together where the viewer knows a link between them:

    - ``implied``: oracle key -> the oracle key of a measure it implies school by school (a school
      with element scores this year finalised a round this year), so per inner cell and release
      ``lower <= upper``;
    - ``element_types``: element (CSV label) -> the school types it applies to (the public
      instrument). A shown distribution of an element in a cell with schools of other types says
      those schools' scores are not in it; if that can only be because they have none, the
      ``scored`` count of those schools is 0 (a row of the scored measure of that year).

    A leak: an inner cell pinned to none or all of its schools; a hidden cell of fewer than
    ``minimum`` schools whose interval does not reach one school below and above its value; any
    other hidden cell that is exact. ``intervals``, when given, receives every hidden cell's
    interval: (release, measure, cell) -> (min, max, true value)."""
    implied = implied or {}
    leaks: list[Leak] = []
    shown = [published_counts(r) for r in releases]
    keys_of: dict[tuple, list[tuple]] = defaultdict(list)         # oracle key -> CSV keys
    for key in sorted({k for s in shown for k in s} & set(measure_of)):
        keys_of[measure_of[key]].append(key)
    groups: list[list[tuple]] = []
    for truth_key in sorted(keys_of):
        linked = [truth_key] + [k for k in (implied.get(truth_key),) if k in keys_of]
        linked += [k for k, up in implied.items() if up == truth_key and k in keys_of]
        for group in [g for g in groups if set(g) & set(linked)]:
            groups.remove(group)
            linked += group
        groups.append(sorted(set(linked)))
    zero_rows = _zero_rows(releases, element_types or {})
    for group in groups:
        variables: dict[tuple, int] = {}     # (oracle key, release, inner) -> column
        upper: list[int] = []
        for truth_key in group:
            for k, release in enumerate(releases):
                for inner, n in sorted(release.schools.items()):
                    before = releases[k - 1] if k else None
                    same = before is not None and inner in before.schools and before.schools[inner] == n and \
                        before.truth[truth_key].get(inner, 0) == release.truth[truth_key].get(inner, 0)
                    if same:
                        variables[(truth_key, k, inner)] = variables[(truth_key, k - 1, inner)]
                    else:
                        variables[(truth_key, k, inner)] = len(upper)
                        upper.append(n)
        rows, lows, highs = [], [], []

        def add(coefficients: dict[int, float], low: float, high: float) -> None:
            row = np.zeros(len(upper))
            for column, value in coefficients.items():
                row[column] += value
            rows.append(row)
            lows.append(low)
            highs.append(high)
        for truth_key in group:
            for key in keys_of[truth_key]:
                for k, release in enumerate(releases):
                    for (level, area, column), value in shown[k].get(key, {}).items():
                        if value is not None:
                            add({variables[(truth_key, k, i)]: 1 for i in
                                 members(level, area, column, release.region_of, release.schools)}, *value)
            upper_key = implied.get(truth_key)
            if upper_key in group:
                for (key, k, inner), column in variables.items():
                    if key == truth_key:
                        add({column: 1, variables[(upper_key, k, inner)]: -1}, -np.inf, 0)
            for k, year, inner_cells in zero_rows:
                if truth_key == (year, "scored"):
                    add({variables[(truth_key, k, i)]: 1 for i in inner_cells}, 0, 0)
        if not rows:
            continue
        constraint = LinearConstraint(np.array(rows), lows, highs)
        bounds = Bounds(np.zeros(len(upper)), np.array(upper, dtype=float))

        def extreme(objective: np.ndarray) -> tuple[int, int]:
            found = []
            for sign in (1, -1):
                result = milp(sign * objective, constraints=constraint, bounds=bounds,
                              integrality=np.ones(len(upper)))
                assert result.status == 0, result.message
                found.append(int(round(sign * result.fun)))
            return found[0], found[1]
        for truth_key in group:
            for k, release in enumerate(releases):
                truth = release.truth[truth_key]
                for inner, n in release.schools.items():
                    if 1 <= truth.get(inner, 0) <= n - 1:
                        continue     # the true values are a feasible point with this cell neither none nor all
                    objective = np.zeros(len(upper))
                    objective[variables[(truth_key, k, inner)]] = 1
                    low, high = extreme(objective)
                    if high < 1 or low > n - 1:
                        leaks.append(Leak(k, truth_key, ("inner", inner), (low, high), truth.get(inner, 0)))
                for key in keys_of[truth_key]:
                    for cell, value in shown[k].get(key, {}).items():
                        if value is not None:
                            continue
                        inner_cells = members(*cell, release.region_of, release.schools)
                        objective = np.zeros(len(upper))
                        for inner in inner_cells:
                            objective[variables[(truth_key, k, inner)]] = 1
                        true = sum(truth.get(i, 0) for i in inner_cells)
                        n = sum(release.schools[i] for i in inner_cells)
                        low, high = extreme(objective)
                        if intervals is not None:
                            intervals[(k, key, cell)] = (low, high, true)
                        if (n < minimum and (low > max(0, true - 1) or high < min(n, true + 1))) or high <= low:
                            leaks.append(Leak(k, key, ("hidden", cell), (low, high), true))
    return leaks


def _zero_rows(releases: list[Release], element_types: dict[str, tuple[str, ...]]) -> list[tuple]:
    """(release, year, inner cells whose scored count a shown distribution fixes at 0)."""
    found = []
    for k, release in enumerate(releases):
        for (level, area, column, year, label) in published_scores(release):
            types = element_types.get(label)
            if types is None:
                continue
            others = [i for i in members(level, area, column, release.region_of, release.schools)
                      if i[1] not in types]
            if others:
                found.append((k, year, others))
    return found


def score_members(cell: tuple[str, int, str], region_of: dict[int, int], scores: dict, element: str) -> dict:
    level, area, column = cell
    types = TYPES if column == "all" else TYPES[1:] if column == "vo+so+mbo" else (column,)
    return {s: sc[element] for s, (m, t, sc) in scores.items() if element in sc and t in types and (
        level == "n" or (level == "r" and region_of[m] == area) or (level == "m" and m == area))}


def attack_scores(releases: list[Release], element_of: dict[str, str], minimum: int) -> list[tuple]:
    """Distribution leaks between two consecutive releases: a shown distribution that moved although
    fewer than ``minimum`` of its schools changed since its old values first stood (so the change
    describes those few schools, e.g. the one school that finalised a round), and two shown cells of one release, one holding the
    other by the public list of schools, whose scored schools differ by fewer than ``minimum``
    (their quartiles would describe the difference)."""
    leaks = []
    shown_in = [published_scores(r) for r in releases]
    for k in range(1, len(releases)):
        before, after = shown_in[k - 1], shown_in[k]
        for key, values in after.items():
            level, area, column, year, label = key
            if key not in before or before[key] == values:
                continue
            # The viewer sees since when the old values stood: compare with the schools then.
            since = _standing_since(shown_in, k - 1, key)
            element = element_of[label]
            old = score_members((level, area, column), releases[since].region_of,
                                releases[since].scores.get(year, {}), element)
            new = score_members((level, area, column), releases[k].region_of, releases[k].scores.get(year, {}),
                                element)
            changed = len(old.keys() ^ new.keys()) + sum(1 for s in old.keys() & new.keys() if old[s] != new[s])
            if changed < minimum:
                leaks.append(("moved", k, key, changed))
    for k, release in enumerate(releases):
        shown = shown_in[k]

        def described(key: tuple) -> dict:
            """The scores a shown distribution describes: those of the release since which its
            values stand (a cell that kept its values, or a release showing an earlier one's
            figures again, describes the schools of then)."""
            then = releases[_standing_since(shown_in, k, key)]
            return score_members(key[:3], then.region_of, then.scores.get(key[3], {}), element_of[key[4]])
        for key in shown:
            level, area, column, year, label = key
            child = described(key)
            for parent_key in shown:
                p_level, p_area, p_column, p_year, p_label = parent_key
                if (p_year, p_label) != (year, label) or (p_level, p_area, p_column) == (level, area, column):
                    continue
                nested = set(members(level, area, column, release.region_of, release.schools)) < set(
                    members(p_level, p_area, p_column, release.region_of, release.schools))
                if not nested:
                    continue        # the public list of schools does not tell the viewer one holds the other
                parent = described(parent_key)
                if child.keys() < parent.keys() and len(parent) - len(child) < minimum:
                    leaks.append(("nested", k, (level, area, column), (p_level, p_area, p_column), year, label))
    return leaks


def _standing_since(shown_in: list[dict], k: int, key: tuple) -> int:
    """The first release that showed ``key`` with the values release ``k`` shows, every release
    between them showing the same or hiding the cell (a cell shown again after a gap shows the
    values it kept)."""
    values = shown_in[k][key]
    since = k
    for j in range(k - 1, -1, -1):
        found = shown_in[j].get(key)
        if found is None:
            continue
        if found != values:
            break
        since = j
    return since


# --- the local offer's uptake tables, with the overview's pillar counts ----------------------------

@dataclass
class OfferWorld:
    """What every reader knows: the schools (municipality, type), the regions, the public offer
    (item -> municipalities, school types, level, pillar) and which (level, pillar, type) the menu
    card has an activity for."""

    region_of: dict[int, int]
    schools: dict[int, tuple[int, str]]
    items: dict[int, tuple[tuple[int, ...], tuple[str, ...], str, str]]
    activities: set[tuple[str, str, str]]


@dataclass
class UptakeRelease:
    """One release as the uptake pages and the overview pages show it, plus the oracle.

    ``shown``: (table, level, area, column) -> (lo, hi) or None when hidden, tables named
    ``item:<id>:uses``, ``item:<id>:wishes``, ``matrix:<level>:<pillar>:<uses|wishes|covered>`` and
    ``pillar:<pillar>``. ``facts``: school -> its true facts: ("u", item), ("w", item),
    ("d", level, pillar) (a menu card activity of that level and pillar done), ("v", level, pillar)
    (one wanted), ("e", pillar) (one done without a level)."""

    shown: dict[tuple[str, str, int, str], tuple[int, int] | None]
    facts: dict[int, set[tuple]]


def _school_model(world: OfferWorld, add):
    """The school-level integer model of one release: binary variables per school and fact, and the
    derived facts each table counts, linked by the definitions of the tables. ``add(row, lo, hi)``
    takes a constraint; returns table -> school -> variable (only where the school can have it)."""
    table_vars: dict[str, dict[int, int]] = defaultdict(dict)
    fresh = _counter()
    groups = sorted({(level, pillar) for _, _, level, pillar in world.items.values()} |
                    {(level, pillar) for level, pillar, _ in world.activities})
    pillars = ("educatie", "signaleren", "omgeving", "beleid")
    for school, (municipality, school_type) in sorted(world.schools.items()):
        doing_in: dict[str, list[int]] = defaultdict(list)
        for level, pillar in groups:
            uses, wishes = [], []
            for item, (where, types, item_level, item_pillar) in sorted(world.items.items()):
                if (item_level, item_pillar) != (level, pillar) or municipality not in where or school_type not in types:
                    continue
                u, w = fresh(), fresh()
                table_vars[f"item:{item}:uses"][school], table_vars[f"item:{item}:wishes"][school] = u, w
                uses.append(u)
                wishes.append(w)
            parts = {}
            for name, members in (("uses", uses), ("wishes", wishes)):
                if members:
                    union = parts[name] = fresh()
                    table_vars[f"matrix:{level}:{pillar}:{name}"][school] = union
                    for v in members:
                        add({v: 1, union: -1}, -np.inf, 0)          # any item -> the line
                    add({union: 1, **{v: -1 for v in members}}, -np.inf, 0)   # the line -> some item
            d = v = None
            if (level, pillar, school_type) in world.activities:
                d, v = fresh(), fresh()
                table_vars[("d", level, pillar)][school] = d
                table_vars[("v", level, pillar)][school] = v
                doing_in[pillar].append(d)
            if d is not None or "uses" in parts:
                covered = fresh()
                table_vars[f"matrix:{level}:{pillar}:covered"][school] = covered
                sources = [x for x in (parts.get("uses"), d, v) if x is not None]
                for x in sources:
                    add({x: 1, covered: -1}, -np.inf, 0)
                add({covered: 1, **{x: -1 for x in sources}}, -np.inf, 0)
        for pillar in pillars:
            e, shown = fresh(), fresh()
            table_vars[("e", pillar)][school] = e
            table_vars[f"pillar:{pillar}"][school] = shown
            for v in (*doing_in[pillar], e):
                add({v: 1, shown: -1}, -np.inf, 0)
            add({shown: 1, **{v: -1 for v in (*doing_in[pillar], e)}}, -np.inf, 0)
    return table_vars, fresh.count


class _counter:
    def __init__(self, start: int = 0):
        self.count = start

    def __call__(self) -> int:
        self.count += 1
        return self.count - 1


def _truth(world: OfferWorld, facts: set[tuple], school: int, table) -> int:
    """The oracle's value of one school in one table."""
    if isinstance(table, tuple):
        return int(table in facts)
    kind, *rest = table.split(":")
    if kind == "item":
        return int((("u" if rest[1] == "uses" else "w"), int(rest[0])) in facts)
    if kind == "pillar":
        return int(("e", rest[0]) in facts or any(f[0] == "d" and f[2] == rest[0] for f in facts))
    level, pillar, measure = rest
    in_group = [i for i, (_, _, lv, pl) in world.items.items() if (lv, pl) == (level, pillar)]
    uses = any(("u", i) in facts for i in in_group)
    if measure == "uses":
        return int(uses)
    if measure == "wishes":
        return int(any(("w", i) in facts for i in in_group))
    return int(uses or ("d", level, pillar) in facts or ("v", level, pillar) in facts)


def attack_uptake(world: OfferWorld, releases: list[UptakeRelease], minimum: int,
                  intervals: dict | None = None) -> list[Leak]:
    """Exact bounds, by integer programs over every school's facts in every release, on every hidden
    uptake or pillar cell and every inner cell (municipality × type) of every table.

    The attacker holds every shown figure of every release, the public world, the definitions of the
    tables (an item's use counts in its level × pillar line; using an offer or doing or wanting a
    menu card activity of the level and pillar covers it; a done menu card activity counts in the
    overview's pillar figure), and which inner cells of a table kept their true count from one
    release to the next. Leaks are judged as in ``attack_counts``."""
    lows, highs = [], []
    constraints: list[tuple[dict[int, int], float, float]] = []
    per_release = []
    offset = 0
    for k, release in enumerate(releases):
        local: list[tuple[dict[int, int], float, float]] = []
        table_vars, count = _school_model(world, lambda row, lo, hi: local.append((row, lo, hi)))
        shift = offset
        table_vars = {t: {s: v + shift for s, v in members.items()} for t, members in table_vars.items()}
        constraints += [({v + shift: c for v, c in row.items()}, lo, hi) for row, lo, hi in local]
        offset += count
        per_release.append(table_vars)
        for (table, level, area, column), shown in release.shown.items():
            if shown is None or table not in table_vars:
                continue
            members = _cell_schools(world, table_vars[table], level, area, column)
            constraints.append(({v: 1 for v in members.values()}, shown[0], shown[1]))
        if k:
            before = per_release[k - 1]
            for table, members in table_vars.items():
                if table not in before:
                    continue
                for inner in {world.schools[s] for s in members}:
                    now = {s: v for s, v in members.items() if world.schools[s] == inner}
                    then = {s: v for s, v in before[table].items() if world.schools[s] == inner}
                    if sum(_truth(world, release.facts[s], s, table) for s in now) == \
                            sum(_truth(world, releases[k - 1].facts[s], s, table) for s in then):
                        constraints.append(({**{v: 1 for v in now.values()}, **{v: -1 for v in then.values()}}, 0, 0))
    n_vars = offset
    matrix = np.zeros((len(constraints), n_vars))
    for r, (row, lo, hi) in enumerate(constraints):
        for v, c in row.items():
            matrix[r, v] += c
        lows.append(lo)
        highs.append(hi)
    constraint = LinearConstraint(matrix, lows, highs)
    bounds = Bounds(np.zeros(n_vars), np.ones(n_vars))

    # Every integer solution found is a world the attacker cannot rule out: a cell that takes two
    # values in those worlds, or reaches past what a leak needs, is settled without solving again
    # (exact all the same: a bound is only ever replaced by a value some feasible world has).
    points: list[np.ndarray] = []

    def extreme(index: list[int], harmless=None) -> tuple[int, int]:
        """(min, max) of the cell over every world the attacker cannot rule out. With ``harmless``
        (a test on a (low, high) pair that is monotone: true for an interval, true for any wider
        one), the least and most the cell takes in worlds already found stand in for the exact
        bounds when they pass it: the exact interval is at least as wide, so no leak is missed."""
        if points and harmless is not None:
            values = np.stack(points)[:, index].sum(axis=1)
            if harmless(int(values.min()), int(values.max())):
                return int(values.min()), int(values.max())
        objective = np.zeros(n_vars)
        objective[index] = 1
        found = []
        for sign in (1, -1):
            result = milp(sign * objective, constraints=constraint, bounds=bounds, integrality=np.ones(n_vars))
            assert result.status == 0, result.message
            points.append(np.round(result.x))
            found.append(int(round(sign * result.fun)))
        return found[0], found[1]

    leaks: list[Leak] = []
    for k, release in enumerate(releases):
        table_vars = per_release[k]
        for table, members in table_vars.items():
            if isinstance(table, tuple):
                continue        # the hidden activities behind the tables: no figure of their own
            for inner in sorted({world.schools[s] for s in members}):
                schools = [s for s in members if world.schools[s] == inner]
                true = sum(_truth(world, release.facts[s], s, table) for s in schools)
                if 1 <= true <= len(schools) - 1:
                    continue
                n = len(schools)
                low, high = extreme([members[s] for s in schools], lambda lo, hi: hi >= 1 and lo <= n - 1)
                if high < 1 or low > len(schools) - 1:
                    leaks.append(Leak(k, (table,), ("inner", inner), (low, high), true))
        for (table, level, area, column), shown in release.shown.items():
            if shown is not None or table not in table_vars:
                continue
            members = _cell_schools(world, table_vars[table], level, area, column)
            n = len(members)
            true = sum(_truth(world, release.facts[s], s, table) for s in members)
            def leak(lo: int, hi: int, n=n, true=true) -> bool:
                return (n < minimum and (lo > max(0, true - 1) or hi < min(n, true + 1))) or hi <= lo

            low, high = extreme(list(members.values()),
                                None if intervals is not None else lambda lo, hi: not leak(lo, hi))
            if intervals is not None:
                intervals[(k, table, (level, area, column))] = (low, high, true)
            if leak(low, high):
                leaks.append(Leak(k, (table,), ("hidden", (level, area, column)), (low, high), true))
    return leaks


def _cell_schools(world: OfferWorld, members: dict[int, int], level: str, area: int, column: str) -> dict[int, int]:
    types = TYPES if column == "all" else TYPES[1:] if column == "vo+so+mbo" else (column,)
    return {s: v for s, v in members.items() if world.schools[s][1] in types and (
        level == "n" or (level == "r" and world.region_of[world.schools[s][0]] == area)
        or (level == "m" and world.schools[s][0] == area))}


def _order_statistic_rows(rows: list, positions: list[int], rank: int, width: int) -> int:
    """Add a variable y (returned: its column) with the rows that make it the ``rank``-th smallest
    (1-based) of the variables at ``positions``: at least ``rank`` of them are <= y and at least
    n - rank + 1 are >= y (two binaries per variable, big-M 100: scores lie in 0..100)."""
    y = width + len(rows["columns"])
    rows["columns"].append(("y", 0.0, 100.0, 0))
    below, above = [], []
    for x in positions:
        a = width + len(rows["columns"])
        rows["columns"].append(("a", 0.0, 1.0, 1))
        b = width + len(rows["columns"])
        rows["columns"].append(("b", 0.0, 1.0, 1))
        rows["rows"].append(({x: 1, y: -1, a: 100}, -np.inf, 100))     # a = 1  ->  x <= y
        rows["rows"].append(({y: 1, x: -1, b: 100}, -np.inf, 100))     # b = 1  ->  x >= y
        below.append(a)
        above.append(b)
    n = len(positions)
    rows["rows"].append(({a: 1 for a in below}, rank, np.inf))
    rows["rows"].append(({b: 1 for b in above}, n - rank + 1, np.inf))
    return y


def attack_scores_exact(releases: list[Release], element_of: dict[str, str], radius: float = 5.0) -> list[tuple]:
    """The issue's score attacker, exactly: for every release ``k``, a mixed integer program over the
    element scores of every scored school in releases 0..k, held to every distribution shown so far
    (each quartile of a cell of ``n`` schools is the inclusive-method interpolation of two order
    statistics, rounded to a whole point, so within half a point of what is shown), then the minimum
    and maximum score of every school the viewer can single out at ``k``: the only school of its type
    in its municipality (public list), and every school whose score entered or changed since
    ``k - 1``. A leak: such a school's score bounded within ``radius`` points either side.

    The attacker is given more than a viewer has: which schools have scores in each release and
    which of them changed (a viewer knows neither). Values that stood unchanged since an earlier
    release describe that release's schools, not this one's; they add no row again.

    Cheap feasible points settle most schools (two points far enough apart); the rest go to the
    solver, with a time limit of ``MILP_SECONDS`` per bound: a bound it cannot settle in time is
    reported as ``("undecided", ...)``, a settled one too narrow as ``("bounded", ...)``."""
    leaks = []
    shown_in = [published_scores(r) for r in releases]
    for year, label in sorted({(key[3], key[4]) for shown in shown_in for key in shown}):
        element = element_of[label]
        for k in range(len(releases)):
            columns: dict[tuple[int, int], int] = {}     # (school, release) -> score column
            width = 0
            for r in range(k + 1):
                for school, (_, _, sc) in releases[r].scores.get(year, {}).items():
                    if element not in sc:
                        continue
                    before = releases[r - 1].scores.get(year, {}).get(school) if r else None
                    if before is not None and before[2].get(element) == sc[element]:
                        columns[(school, r)] = columns[(school, r - 1)]
                    else:
                        columns[(school, r)] = width
                        width += 1
            extra = {"columns": [], "rows": []}
            constrained: set[int] = set()
            rows_of_cells: list[tuple[np.ndarray, np.ndarray]] = []
            for r in range(k + 1):
                for key, values in shown_in[r].items():
                    if key[3:] != (year, label):
                        continue
                    earlier = next((shown_in[j][key] for j in range(r - 1, -1, -1) if key in shown_in[j]), None)
                    if earlier == values:
                        continue       # the same values as before: they describe the schools of then
                    cell = key[:3]
                    schools = score_members(cell, releases[r].region_of, releases[r].scores.get(year, {}), element)
                    positions = sorted(columns[(s, r)] for s in schools)
                    constrained |= set(positions)
                    rows_of_cells.append((np.array(positions), np.array([float(v) for v in values])))
                    n = len(positions)
                    ranks: dict[int, int] = {}
                    for p, shown in zip((0.25, 0.5, 0.75), values):
                        h = (n - 1) * p
                        j = int(h)
                        f = h - j
                        terms: dict[int, float] = {}
                        for rank, weight in ((j + 1, 1 - f), (j + 2, f)):
                            if weight == 0 or rank > n:
                                continue
                            if rank not in ranks:
                                ranks[rank] = _order_statistic_rows(extra, positions, rank, width)
                            terms[ranks[rank]] = terms.get(ranks[rank], 0) + weight
                        extra["rows"].append((terms, float(shown) - 0.5, float(shown) + 0.5))
            targets = set()
            for school, (m, t, sc) in releases[k].scores.get(year, {}).items():
                if element not in sc or (school, k) not in columns:
                    continue
                single = releases[k].schools.get((m, t)) == 1
                changed = k > 0 and ((school, k - 1) not in columns or columns[(school, k - 1)] != columns[(school, k)])
                if (single or changed) and columns[(school, k)] in constrained:
                    targets.add(school)
            if not targets:
                continue
            truth = np.zeros(width)
            for (school, r), column in columns.items():
                truth[column] = releases[r].scores[year][school][2][element]
            cells = [(positions, values) for positions, values in rows_of_cells]
            assert _feasible(truth, cells), "the true scores must satisfy what was published"
            undecided = set()
            for school in sorted(targets):
                low, high = _certified_range(truth, cells, columns[(school, k)])
                if high - low > 2 * radius:
                    continue        # two feasible points already set it further apart than that
                undecided.add(school)
            if not undecided:
                continue
            total = width + len(extra["columns"])
            matrix = np.zeros((len(extra["rows"]), total))
            lows, highs = [], []
            for i, (terms, low, high) in enumerate(extra["rows"]):
                for column, value in terms.items():
                    matrix[i, column] += value
                lows.append(low)
                highs.append(high)
            lower = np.array([0.0] * width + [c[1] for c in extra["columns"]])
            upper = np.array([100.0] * width + [c[2] for c in extra["columns"]])
            integrality = np.array([0] * width + [c[3] for c in extra["columns"]])
            constraint = LinearConstraint(matrix, lows, highs)
            for school in sorted(undecided):
                objective = np.zeros(total)
                objective[columns[(school, k)]] = 1
                found = []
                for sign in (1, -1):
                    result = milp(sign * objective, constraints=constraint, bounds=Bounds(lower, upper),
                                  integrality=integrality, options={"time_limit": MILP_SECONDS})
                    if result.status != 0:      # not solved in time: an auditor that cannot tell fails
                        found = None
                        break
                    found.append(sign * result.fun)
                if found is None:
                    leaks.append(("undecided", k, year, label, school))
                elif found[1] - found[0] <= 2 * radius:
                    leaks.append(("bounded", k, year, label, school, (round(found[0], 1), round(found[1], 1)),
                                  releases[k].scores[year][school][2][element]))
    return leaks


MILP_SECONDS = 20


def _quartiles(values: np.ndarray) -> np.ndarray:
    """Inclusive-method quartiles (numpy's linear interpolation between order statistics)."""
    return np.quantile(values, [0.25, 0.5, 0.75])


def _feasible(point: np.ndarray, cells: list) -> bool:
    return all(np.all(np.abs(_quartiles(point[positions]) - values) <= 0.5 + 1e-9) for positions, values in cells)


def _certified_range(truth: np.ndarray, cells: list, column: int) -> tuple[float, float]:
    """The smallest and largest value of ``column`` among feasible points found cheaply: the true
    scores with this one moved (0, 5, ..., 100), swapped with another school's, or moved while
    another school takes its old value. An inner bound on
    the attacker's interval: every point checked satisfies every published quartile."""
    low = high = truth[column]
    candidates = []
    for value in np.linspace(0, 100, 21):
        point = truth.copy()
        point[column] = value
        candidates.append(point)
    for other in range(len(truth)):
        if other != column and truth[other] != truth[column]:
            point = truth.copy()
            point[column], point[other] = truth[other], truth[column]
            candidates.append(point)
    for other in range(len(truth)):      # this one moves, another takes its old value (and rank)
        if other != column:
            for value in np.linspace(0, 100, 11):
                point = truth.copy()
                point[column], point[other] = value, truth[column]
                candidates.append(point)
    relevant = [(p, v) for p, v in cells if column in p]
    for point in candidates:
        if point[column] < low or point[column] > high:
            if _feasible(point, relevant) and _feasible(point, cells):
                low, high = min(low, point[column]), max(high, point[column])
    return low, high
