"""Disclosure numbers for issue 12, on a database holding bench data and at least one release:

- the share of cells shown per measure and level, by the old pattern-based publication (computed
  now from the same summaries) and by the latest release;
- with ``--attack`` (small data only: one MILP per hidden cell), the issue's attacker on both: how
  many hidden count cells an exact integer program recovers, over every municipality, region and
  national page's CSV.

    DATABASE_URL=... .venv/bin/python bench/disclosure.py [--attack]
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from sqlalchemy import select  # noqa: E402

from wellbeing import db  # noqa: E402
from wellbeing.app import create_app  # noqa: E402

OLD_TABLES = {"participation": "participation", "certificates": "certificates", "pillars": "pillar",
              "prevention": "prevention"}


def old_pages(today: date):
    """(level, area id, Overview) of every page the old code published."""
    from wellbeing.overview import service
    from wellbeing.overview.build import build_national
    from wellbeing.schoolyear import SchoolYear
    from wellbeing.tenancy.models import Municipality, Region

    pages = []
    for region in db.session.scalars(select(Region)):
        pages.append(("r", region.id, service.compute(region, None, today)))
        for municipality in db.session.scalars(select(Municipality).where(Municipality.region_id == region.id)):
            pages.append(("m", municipality.id, service.compute(region, municipality, today)))
    current = SchoolYear.containing(today)
    years = [str(current - n) for n in range(service.YEARS_SHOWN - 1, -1, -1)]
    region_of = dict(db.session.execute(select(Municipality.id, Municipality.region_id)).all())
    pages.append(("n", 0, build_national("NL", region_of, service.school_records(None, today),
                                         service.round_records(None, years), years, str(current),
                                         service.labels().__class__ and service._minimum(), service.labels(), today)))
    return pages


def old_shares(pages) -> dict:
    shares: dict = defaultdict(lambda: [0, 0])
    for level, _, page in pages:
        for name, measure in OLD_TABLES.items():
            for row in getattr(page, name).rows:
                for cell in row.cells.values():
                    if cell.hidden == "no-schools":
                        continue
                    shares[(measure, level)][0] += 1
                    shares[(measure, level)][1] += cell.hidden is None
        for year in page.scores:
            for row in year.rows:
                for cell in row.cells.values():
                    if cell.hidden != "no-schools":
                        shares[("distributions", level)][0] += 1
                        shares[("distributions", level)][1] += cell.hidden is None
    return shares


def new_shares() -> dict:
    from wellbeing.release.models import Release, ReleaseMeasure

    release_id = db.session.scalar(select(Release.id).order_by(Release.id.desc()).limit(1))
    shares: dict = defaultdict(lambda: [0, 0, 0])     # cells, shown, shown as a band
    for measure in db.session.scalars(select(ReleaseMeasure).where(ReleaseMeasure.release_id == release_id)):
        if measure.measure == "scores":
            continue
        name = measure.measure.split(":")[0]
        name = {"dist": "distributions", "pillar": "pillar", "prevention": "prevention"}.get(name, name)
        for key, value in json.loads(measure.published).items():
            shares[(name, key[0])][0] += 1
            shares[(name, key[0])][1] += value is not None
            shares[(name, key[0])][2] += value is not None and name != "distributions" and value[0] != value[1]
    return shares


def attack(today: date) -> tuple[tuple[int, int], tuple[int, int]]:
    """(exactly recovered, hidden) count cells, old publication and latest release."""
    from tests import disclosure
    from wellbeing.overview import export, service
    from wellbeing.release.job import geography
    from wellbeing.release.models import Release, ReleaseMeasure

    geo = geography()
    release_id = db.session.scalar(select(Release.id).order_by(Release.id.desc()).limit(1))
    truth = {}
    for row in db.session.scalars(select(ReleaseMeasure).where(ReleaseMeasure.release_id == release_id)):
        if not row.measure.startswith(("dist:", "scores")):
            truth[(row.school_year, row.measure)] = {(int(k.split(":")[0]), k.split(":")[1]): v[0]
                                                     for k, v in json.loads(row.truth).items()}
    labels = service.labels()
    label_to_measure = {labels.participation: "participation", labels.certificates: "certificates",
                        **{v: f"pillar:{k}" for k, v in labels.pillar_labels.items()},
                        **{v: f"prevention:{k}" for k, v in labels.prevention_labels.items()},
                        **{statement: f"priority:{item}" for item, (statement, _) in labels.statements.items()}}

    def measure_of(key):
        section, label, year = key
        return (year, "scored") if section == "scored" else (year, label_to_measure.get(label, label))

    results = []
    for pages in (old_pages(today), [(lvl, area, page) for lvl, area, page in _new_pages()]):
        csvs = {(lvl, area): export.to_csv(page) for lvl, area, page in pages if page is not None}
        release = disclosure.Release(geo.region_of, geo.schools, csvs, truth)
        keys = {k for k in disclosure.published_counts(release) if measure_of(k) in truth}
        intervals: dict = {}
        disclosure.attack_counts([release], {k: measure_of(k) for k in keys}, 5, intervals)
        results.append((sum(1 for low, high, _ in intervals.values() if low == high), len(intervals)))
    return results[0], results[1]


def _new_pages():
    from wellbeing.overview import service
    from wellbeing.tenancy.models import Municipality, Region

    for region in db.session.scalars(select(Region)):
        yield "r", region.id, service.overview(region)
        for municipality in db.session.scalars(select(Municipality).where(Municipality.region_id == region.id)):
            yield "m", municipality.id, service.overview(region, municipality)
    yield "n", 0, service.national()


def main() -> int:
    app = create_app()
    with app.app_context(), app.test_request_context():
        from wellbeing.release.models import Release
        today = db.session.scalar(select(Release.released_at).order_by(Release.id.desc()).limit(1)).date()
        before, after = old_shares(old_pages(today)), new_shares()
        print(f"{'measure':<16} {'level':<5} {'before: shown':>20} {'after: shown':>20} {'of which bands':>15}")
        for key in sorted(set(before) | set(after)):
            def show(found):
                return f"{found[1]:>6}/{found[0]:<6} {100 * found[1] / found[0]:3.0f}%" if found[0] else "-"
            new = after.get(key, [0, 0, 0])
            bands = f"{100 * new[2] / new[0]:.0f}%" if new[0] else "-"
            print(f"{key[0]:<16} {key[1]:<5} {show(before.get(key, [0, 0])):>20} {show(new):>20} {bands:>15}")
        if "--attack" in sys.argv:
            (old_exact, old_hidden), (new_exact, new_hidden) = attack(today)
            print(f"ILP attacker, count cells: old publication {old_exact} of {old_hidden} hidden cells recovered "
                  f"exactly; release {new_exact} of {new_hidden}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
