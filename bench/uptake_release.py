"""The uptake part of the release job on a synthetic offer, in memory (no database): how long
``wellbeing.offer.disclosure.release`` takes at region or national scale, for a first release and
for a second one audited against it.

The schools are bench-data's layout (``benchdata.layout``); the offer is made up here, as a GGD
region might keep it: about ten items per municipality, each offered in one to a few municipalities
of its region, for one or more school types; a school uses an item it can reach with probability
0.15 and wishes for it with 0.05, and marks menu card activities of a level and pillar now and then.
Between the two releases 2 % of the schools change one fact.

    .venv/bin/python bench/uptake_release.py [region|national] [--seed N] [--profile FILE]
"""
from __future__ import annotations

import argparse
import cProfile
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from benchdata.layout import SCALES, make_layout  # noqa: E402
from wellbeing.offer import disclosure, uptake  # noqa: E402
from wellbeing.pillars import PILLARS  # noqa: E402
from wellbeing.release.audit import Stage  # noqa: E402
from wellbeing.release.compute import Ledger  # noqa: E402

YEAR = "2026-2027"
MINIMUM = 5


def world(scale: str, seed: int):
    layout = make_layout(SCALES[scale], seed, {"region": 0, "municipality": 0, "board": 0, "school": 0})
    rng = random.Random(f"{seed}/uptake")
    region_of = {m.id: m.region_id for m in layout.municipalities}
    by_region: dict[int, list[int]] = {}
    for m in layout.municipalities:
        by_region.setdefault(m.region_id, []).append(m.id)
    schools = [uptake.SchoolFact(s.id, s.municipality_id, s.school_type) for s in layout.schools]
    items, number = [], 0
    for region, own in by_region.items():
        for _ in range(10 * len(own)):
            number += 1
            where = tuple(sorted(rng.sample(own, k=min(len(own), rng.choice([1, 1, 1, 2, 3, len(own)])))))
            types = tuple(t for t in uptake.TYPES if rng.random() < 0.5) or ("po",)
            items.append(uptake.ItemFact(number, where, rng.choice(uptake.LEVELS), rng.choice(PILLARS), types))
    activities = {(level, pillar, t) for level in uptake.LEVELS for pillar in PILLARS for t in uptake.TYPES
                  if level == "universal" or rng.random() < 0.6}
    reach: dict[int, list[uptake.ItemFact]] = {}
    for item in items:
        for m in item.municipality_ids:
            reach.setdefault(m, []).append(item)
    facts: dict[int, set] = {}
    for school in schools:
        own = set()
        for item in reach.get(school.municipality_id, []):
            if school.school_type in item.school_types:
                draw = rng.random()
                if draw < 0.15:
                    own.add(("uses", item.item_id))
                elif draw < 0.20:
                    own.add(("wish", item.item_id))
        own |= {("doing", level, pillar) for level, pillar, t in sorted(activities)
                if t == school.school_type and rng.random() < 0.2}
        facts[school.school_id] = own
    return region_of, schools, items, activities, facts, reach


def cells_of(schools, items, activities, facts):
    links = [uptake.LinkFact(s, f[1], f[0]) for s, fs in facts.items() for f in fs if f[0] != "doing"]
    doing = [uptake.Doing(s, f[1], f[2]) for s, fs in facts.items() for f in fs if f[0] == "doing"]
    return uptake.compute(schools, items, links, doing, activities)


def change(rng: random.Random, schools, activities, facts, reach, share: float = 0.02) -> None:
    for school in rng.sample(schools, k=max(1, int(len(schools) * share))):
        options = [(kind, i.item_id) for i in reach.get(school.municipality_id, [])
                   if school.school_type in i.school_types for kind in ("uses", "wish")]
        options += [("doing", level, pillar) for level, pillar, t in sorted(activities) if t == school.school_type]
        if options:
            facts[school.school_id] ^= {rng.choice(options)}


def run(scale: str, seed: int, profile: str | None = None, module=disclosure, published: list | None = None) -> list[dict]:
    """Two releases; their timings. ``published``: a list that gets each release's results."""
    region_of, schools, items, activities, facts, reach = world(scale, seed)
    history: dict[str, list[Stage]] = {}
    ledger = Ledger(lambda y, m: list(history.get(m, [])),
                    lambda y, m: {c for s in history.get(m, []) for c, p in s.published.items() if p is None})
    rng = random.Random(f"{seed}/changes")
    timings = []
    for number in (1, 2):
        if number > 1:
            change(rng, schools, activities, facts, reach)
        cells = cells_of(schools, items, activities, facts)
        profiler = cProfile.Profile(time.process_time) if profile and number == 2 else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        results = module.release(cells, items, region_of, YEAR, MINIMUM, ledger, activities)
        if profiler:
            profiler.disable()
            profiler.dump_stats(profile)
        if published is not None:
            published.append({key: dict(r.published) for key, r in results.items()})
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        shown = sum(len(r.published) for r in results.values())
        hidden = sum(1 for r in results.values() for p in r.published.values() if p is None)
        timings.append({"release": number, "cpu": cpu, "wall": wall, "tables": len(results), "cells": shown,
                        "hidden": hidden, "items": len(items), "schools": len(schools)})
        for (_, name), result in results.items():
            stages = history.setdefault(name, [])
            if stages and (stages[-1].values, stages[-1].published) == (result.values, result.published):
                stages[-1].releases = stages[-1].releases | {number}
            else:
                stages.append(Stage(result.geography, dict(result.values), dict(result.published),
                                    frozenset({number})))
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("scale", nargs="?", default="region", choices=["tiny", "region", "national"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile")
    args = parser.parse_args()
    for t in run(args.scale, args.seed, args.profile):
        print(f"release {t['release']}: {t['cpu']:.1f} s cpu, {t['wall']:.1f} s wall; {t['schools']} schools, "
              f"{t['items']} items, {t['tables']} tables, {t['cells']} cells, {t['hidden']} hidden", flush=True)


if __name__ == "__main__":
    main()
