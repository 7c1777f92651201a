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
                  intervals: dict | None = None) -> list[Leak]:
    """Exact min/max of every hidden cell and every inner cell, per measure, over all releases.
    ``measure_of`` maps a CSV measure key (section, label, year) to the oracle's measure key.

    A leak: an inner cell pinned to none or all of its schools; a hidden cell of fewer than
    ``minimum`` schools whose interval does not reach one school below and above its value; any
    other hidden cell that is exact. ``intervals``, when given, receives every hidden cell's
    interval: (release, measure, cell) -> (min, max, true value)."""
    leaks: list[Leak] = []
    shown = [published_counts(r) for r in releases]
    for key in sorted({k for s in shown for k in s} & set(measure_of)):
        truth_key = measure_of[key]
        variables: dict[tuple[int, tuple], int] = {}     # (release, inner) -> column
        upper: list[int] = []
        for k, release in enumerate(releases):
            for inner, n in sorted(release.schools.items()):
                before = releases[k - 1] if k else None
                same = before is not None and inner in before.schools and before.schools[inner] == n and \
                    before.truth[truth_key].get(inner, 0) == release.truth[truth_key].get(inner, 0)
                if same:
                    variables[(k, inner)] = variables[(k - 1, inner)]
                else:
                    variables[(k, inner)] = len(upper)
                    upper.append(n)
        rows, lows, highs = [], [], []
        for k, release in enumerate(releases):
            for (level, area, column), value in shown[k].get(key, {}).items():
                if value is None:
                    continue
                row = np.zeros(len(upper))
                for inner in members(level, area, column, release.region_of, release.schools):
                    row[variables[(k, inner)]] = 1
                rows.append(row)
                lows.append(value[0])
                highs.append(value[1])
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
        for k, release in enumerate(releases):
            truth = release.truth[truth_key]
            for inner, n in release.schools.items():
                if 1 <= truth.get(inner, 0) <= n - 1:
                    continue     # the true values are a feasible point with this cell neither none nor all
                objective = np.zeros(len(upper))
                objective[variables[(k, inner)]] = 1
                low, high = extreme(objective)
                if high < 1 or low > n - 1:
                    leaks.append(Leak(k, key, ("inner", inner), (low, high), truth.get(inner, 0)))
            for cell, value in shown[k].get(key, {}).items():
                if value is not None:
                    continue
                inner_cells = members(*cell, release.region_of, release.schools)
                objective = np.zeros(len(upper))
                for inner in inner_cells:
                    objective[variables[(k, inner)]] = 1
                true = sum(truth.get(i, 0) for i in inner_cells)
                n = sum(release.schools[i] for i in inner_cells)
                low, high = extreme(objective)
                if intervals is not None:
                    intervals[(k, key, cell)] = (low, high, true)
                if (n < minimum and (low > max(0, true - 1) or high < min(n, true + 1))) or high <= low:
                    leaks.append(Leak(k, key, ("hidden", cell), (low, high), true))
    return leaks


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
            since = k - 1
            while since > 0 and shown_in[since - 1].get(key, before[key]) == before[key]:
                since -= 1
            element = element_of[label]
            old = score_members((level, area, column), releases[since].region_of,
                                releases[since].scores.get(year, {}), element)
            new = score_members((level, area, column), releases[k].region_of, releases[k].scores.get(year, {}),
                                element)
            changed = len(old.keys() ^ new.keys()) + sum(1 for s in old.keys() & new.keys() if old[s] != new[s])
            if changed < minimum:
                leaks.append(("moved", k, key, changed))
    for k, release in enumerate(releases):
        shown = published_scores(release)
        for (level, area, column, year, label) in shown:
            element = element_of[label]
            child = score_members((level, area, column), release.region_of, release.scores.get(year, {}), element)
            for (p_level, p_area, p_column, p_year, p_label) in shown:
                if (p_year, p_label) != (year, label) or (p_level, p_area, p_column) == (level, area, column):
                    continue
                nested = set(members(level, area, column, release.region_of, release.schools)) < set(
                    members(p_level, p_area, p_column, release.region_of, release.schools))
                if not nested:
                    continue        # the public list of schools does not tell the viewer one holds the other
                parent = score_members((p_level, p_area, p_column), release.region_of, release.scores.get(year, {}),
                                       element)
                if child.keys() < parent.keys() and len(parent) - len(child) < minimum:
                    leaks.append(("nested", k, (level, area, column), (p_level, p_area, p_column), year, label))
    return leaks


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

    def extreme(index: list[int]) -> tuple[int, int]:
        objective = np.zeros(n_vars)
        objective[index] = 1
        found = []
        for sign in (1, -1):
            result = milp(sign * objective, constraints=constraint, bounds=bounds, integrality=np.ones(n_vars))
            assert result.status == 0, result.message
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
                low, high = extreme([members[s] for s in schools])
                if high < 1 or low > len(schools) - 1:
                    leaks.append(Leak(k, (table,), ("inner", inner), (low, high), true))
        for (table, level, area, column), shown in release.shown.items():
            if shown is not None or table not in table_vars:
                continue
            members = _cell_schools(world, table_vars[table], level, area, column)
            n = len(members)
            true = sum(_truth(world, release.facts[s], s, table) for s in members)
            low, high = extreme(list(members.values()))
            if intervals is not None:
                intervals[(k, table, (level, area, column))] = (low, high, true)
            if (n < minimum and (low > max(0, true - 1) or high < min(n, true + 1))) or high <= low:
                leaks.append(Leak(k, (table,), ("hidden", (level, area, column)), (low, high), true))
    return leaks


def _cell_schools(world: OfferWorld, members: dict[int, int], level: str, area: int, column: str) -> dict[int, int]:
    types = TYPES if column == "all" else TYPES[1:] if column == "vo+so+mbo" else (column,)
    return {s: v for s, v in members.items() if world.schools[s][1] in types and (
        level == "n" or (level == "r" and world.region_of[world.schools[s][0]] == area)
        or (level == "m" and world.schools[s][0] == area))}
