"""Make a release: read the summaries and the ledger, run the audit, store what pages show.

Releases follow a calendar: the 1st of every month, and 31 July, the last day of a school year (so
a year's figures get their final release before the next year starts). ``wellbeing overview
release`` makes one now; the scheduler's daily ``overview-release`` job makes one on release days.
Between releases no upward figure moves, whatever a school does.
"""
from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import defaultdict
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from wellbeing import db, jobs
from wellbeing.instruments.registry import registry
from wellbeing.offer.facts import release_uptake as offer_uptake
from wellbeing.periodic.jobs import claim
from wellbeing.periodic.locks import held
from wellbeing.release.audit import Stage
from wellbeing.release.compute import Ledger, Outcome, SchoolFacts, ScoredRound, make
from wellbeing.release.models import Release, ReleaseArea, ReleaseMeasure
from wellbeing.release.tables import TYPES, Cell, Geography
from wellbeing.rounds.service import CHECKLIST_ID
from wellbeing.schoolyear import SchoolYear
from wellbeing.summaries.models import ElementSummary, PrioritySummary, RoundSummary, SchoolStatus
from wellbeing.tenancy.models import Municipality, School
from wellbeing.pillars import PILLARS

log = logging.getLogger(__name__)
YEARS_SHOWN = 5
SCORES = "scores"


def next_release_day(today: date) -> date:
    """The first release day after ``today``: the 1st of a month or 31 July."""
    first = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    year_end = date(today.year, 7, 31)
    return year_end if today < year_end < first else first


def is_release_day(today: date) -> bool:
    return today.day == 1 or (today.month, today.day) == (7, 31)


def cell_key(cell: Cell) -> str:
    return f"{cell[0]}:{cell[1]}:{cell[2]}"


def parse_cell(text: str) -> Cell:
    level, area, column = text.split(":", 2)
    return (level, int(area), column)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


# --- reading what the release is made of ---------------------------------------------------------

def geography() -> Geography:
    region_of = dict(db.session.execute(select(Municipality.id, Municipality.region_id)).all())
    schools = {(m, getattr(t, "value", t)): n for m, t, n in db.session.execute(
        select(School.municipality_id, School.school_type, func.count()).group_by(
            School.municipality_id, School.school_type)).all()}
    return Geography(region_of, schools)


def school_facts(today: date, current_year: str) -> list[SchoolFacts]:
    previous = str(SchoolYear.parse(current_year) - 1)
    latest: dict[int, tuple[str, int]] = {}
    for school_id, year, round_id in db.session.execute(select(
            RoundSummary.school_id, RoundSummary.school_year, RoundSummary.round_id)
            .where(RoundSummary.school_year.in_([previous, current_year]))):
        if school_id not in latest or (year, round_id) > latest[school_id]:
            latest[school_id] = (year, round_id)
    chosen = {round_id: school_id for school_id, (_, round_id) in latest.items()}
    priorities: dict[int, set[str]] = defaultdict(set)
    for round_id, item in db.session.execute(select(PrioritySummary.round_id, PrioritySummary.item_id)
                                             .where(PrioritySummary.round_id.in_(list(chosen) or [0]))):
        priorities[chosen[round_id]].add(f"priority:{item}")
    facts = []
    for s in db.session.scalars(select(SchoolStatus)):
        properties = {f"pillar:{p}" for p in PILLARS if getattr(s, f"doing_{p}")}
        properties |= {f"prevention:{v}" for v in ("universal", "selective", "indicated") if getattr(s, f"uses_{v}")}
        if s.finalised_this_year:
            properties.add("participation")
        if s.certificate_expires is not None and s.certificate_expires >= today:
            properties.add("certificates")
        facts.append(SchoolFacts(s.school_id, s.municipality_id, s.school_type, frozenset(properties | priorities[s.school_id])))
    return facts


def scored_rounds(years: list[str]) -> list[ScoredRound]:
    rows = db.session.execute(select(RoundSummary.round_id, RoundSummary.school_id, RoundSummary.municipality_id,
                                     RoundSummary.school_type, RoundSummary.school_year)
                              .where(RoundSummary.school_year.in_(years), RoundSummary.scored)).all()
    scores: dict[int, dict[str, float]] = defaultdict(dict)
    for round_id, element, score in db.session.execute(
            select(ElementSummary.round_id, ElementSummary.element_id, ElementSummary.score)
            .join(RoundSummary, RoundSummary.round_id == ElementSummary.round_id)
            .where(RoundSummary.school_year.in_(years), RoundSummary.scored)):
        scores[round_id][element] = score
    return [ScoredRound(r.school_id, r.municipality_id, r.school_type, r.school_year, scores[r.round_id])
            for r in sorted(rows, key=lambda r: r.round_id)]


def ledger() -> Ledger:
    """Earlier releases, parsed lazily per measure."""
    regions = {rid: {int(k): v for k, v in json.loads(text).items()}
               for rid, text in db.session.execute(select(Release.id, Release.geography))}
    rows: dict[tuple[str, str], list] = defaultdict(list)
    for row in db.session.execute(select(ReleaseMeasure.release_id, ReleaseMeasure.school_year,
                                         ReleaseMeasure.measure, ReleaseMeasure.published, ReleaseMeasure.truth,
                                         ReleaseMeasure.digest).order_by(ReleaseMeasure.release_id)):
        rows[(row.school_year, row.measure)].append(row)

    geographies: dict[tuple[int, str], Geography] = {}    # one per release and school list: members are cached

    def stages(year: str, measure: str) -> list[Stage]:
        found = rows.get((year, measure), ())
        stood: dict[str, set[int]] = defaultdict(set)     # digest -> the releases it stood in
        for row in found:
            stood[row.digest].add(row.release_id)
        result, seen = [], set()
        for row in found:
            if row.digest in seen:
                continue
            seen.add(row.digest)
            truth = json.loads(row.truth)
            schools = {(int(m), t): n for key, (_, n) in truth.items() for m, t in [key.split(":")]}
            values = {(int(m), t): x for key, (x, _) in truth.items() for m, t in [key.split(":")] if x}
            published = {parse_cell(k): (tuple(v) if v is not None else None)
                         for k, v in json.loads(row.published).items()}
            shape = (row.release_id, json.dumps(sorted(schools.items())))
            if shape not in geographies:
                geographies[shape] = Geography(regions[row.release_id], schools)
            result.append(Stage(geographies[shape], values, published, frozenset(stood[row.digest])))
        return result

    def hidden_before(year: str, measure: str) -> set[Cell]:
        hidden: set[Cell] = set()
        for row in rows.get((year, measure), ()):
            hidden |= {parse_cell(k) for k, v in json.loads(row.published).items() if v is None}
        return hidden

    def distributions(year: str, element: str):
        found = rows.get((year, f"dist:{element}"))
        if not found:
            return {}
        memory = json.loads(found[-1].truth)
        return {parse_cell(k): (tuple(v[:3]), v[3]) for k, v in memory.items()}

    def scores_at(release_id: int, year: str):
        for row in rows.get((year, SCORES), ()):
            if row.release_id == release_id:
                return {int(s): (m, t, sc) for s, (m, t, sc) in json.loads(row.truth).items()}
        return {}

    def snapshots(year: str, element: str) -> set[tuple[Cell, int]]:
        return {(parse_cell(k), v[3]) for row in rows.get((year, f"dist:{element}"), ())
                for k, v in json.loads(row.published).items() if v is not None}

    return Ledger(stages, hidden_before, distributions, scores_at, snapshots)


# --- storing the release -----------------------------------------------------------------------

def area_payloads(geo: Geography, outcome: Outcome) -> dict[tuple[str, int], dict]:
    """What each page shows: per (level, area) the public number of schools per column, every count
    cell ([lo, hi] or None) and every distribution cell ([q1, median, q3] or None)."""
    areas: dict[tuple[str, int], dict] = defaultdict(lambda: {"schools": {}, "counts": {}, "scores": {}})
    for (year, measure), result in outcome.counts.items():
        for cell, shown in result.published.items():
            area = areas[(cell[0], cell[1])]
            if result.geography is None:
                area["schools"][cell[2]] = geo.size(cell)
            else:   # a measure over its own inner cells (uptake): the schools behind each of its cells
                area.setdefault("sizes", {}).setdefault(f"{year}|{measure}", {})[cell[2]] = \
                    result.geography.size(cell)
            area["counts"].setdefault(f"{year}|{measure}", {})[cell[2]] = list(shown) if shown else None
    for (year, element), result in outcome.distributions.items():
        for cell, shown in result.items():
            areas[(cell[0], cell[1])]["scores"].setdefault(f"{year}|{element}", {})[cell[2]] = \
                list(shown[0]) if shown else None
    return dict(areas)


def store(release: Release, geo: Geography, outcome: Outcome, earlier: Ledger) -> None:
    cells = hidden = 0
    measures = []
    for (year, measure), result in outcome.counts.items():
        published = {cell_key(c): (list(p) if p is not None else None) for c, p in result.published.items()}
        inner = (result.geography or geo).schools
        truth = {f"{m}:{t}": [result.values.get((m, t), 0), n] for (m, t), n in inner.items()}
        measures.append(_measure(release.id, year, measure, published, truth))
        cells += len(published)
        hidden += sum(1 for p in published.values() if p is None)
    for (year, element), result in outcome.distributions.items():
        basis = outcome.basis[(year, element)]
        memory = {cell_key(c): [*values, source] for c, (values, source) in earlier.distributions(year, element).items()}
        published = {}
        for cell, shown in result.items():
            if shown is None:
                published[cell_key(cell)] = None
                continue
            source = basis[cell] if basis[cell] is not None else release.id
            published[cell_key(cell)] = memory[cell_key(cell)] = [*shown[0], source]
        measures.append(_measure(release.id, year, f"dist:{element}", published, memory))
        cells += len(published)
        hidden += sum(1 for p in published.values() if p is None)
    for year, scores in outcome.scores.items():
        measures.append(_measure(release.id, year, SCORES, {}, {str(s): [m, t, sc] for s, (m, t, sc) in scores.items()}))
    db.session.add_all(measures)
    db.session.add_all(ReleaseArea(release_id=release.id, level=level, area_id=area_id, payload=json.dumps(payload))
                       for (level, area_id), payload in area_payloads(geo, outcome).items())
    release.cells, release.hidden = cells, hidden


def _measure(release_id: int, year: str, measure: str, published: dict, truth: dict) -> ReleaseMeasure:
    published_text, truth_text = json.dumps(published, sort_keys=True), json.dumps(truth, sort_keys=True)
    return ReleaseMeasure(release_id=release_id, school_year=year, measure=measure, published=published_text,
                          truth=truth_text, digest=_digest(published_text, truth_text))


def make_release(today: date | None = None, reason: str = "manual") -> Release:
    """Compute, audit and store a release (the caller commits). Raises ``protect.CannotProtect``
    when earlier releases leave no safe publication; then nothing is stored."""
    started = time.perf_counter()
    today = today or date.today()
    current = SchoolYear.containing(today)
    years = [str(current - n) for n in range(YEARS_SHOWN - 1, -1, -1)]
    minimum = current_app.extensions["wellbeing.settings"].min_schools
    checklist = registry().latest(CHECKLIST_ID)
    items = [i.id for e in checklist.elements for i in e.items]
    elements = [e.id for e in checklist.elements]
    element_types = {e.id: frozenset(t for t in TYPES if e in checklist.elements_for(t)) for e in checklist.elements}
    geo = geography()
    earlier = ledger()
    outcome = make(geo, school_facts(today, str(current)), scored_rounds(years), years, str(current), minimum,
                   items, elements, earlier, element_types)
    outcome.counts.update(offer_uptake(geo, str(current), minimum, earlier))
    release = Release(school_year=str(current), reason=reason, next_release_on=next_release_day(today),
                      geography=json.dumps({str(k): v for k, v in geo.region_of.items()}))
    db.session.add(release)
    db.session.flush()
    store(release, geo, outcome, earlier)
    release.seconds = time.perf_counter() - started
    log.info("release %s: %d cells, %d hidden, %.1f s", release.id, release.cells, release.hidden, release.seconds)
    return release


@jobs.job("default")
def release_when_due(today: date | None = None) -> int | None:
    """Daily: make a release on a release day (or when there is none yet). Returns its id."""
    today = today or date.today()
    with held("overview-release", timedelta(hours=2)) as mine:
        if not mine:
            return None

        first = db.session.scalar(select(func.count()).select_from(Release)) == 0
        if not (first or is_release_day(today)) or not claim("overview-release", today.isoformat()):
            return None
        db.session.commit()  # the day is claimed even if making its release fails
        release = make_release(today, "year-end" if (today.month, today.day) == (7, 31) else "monthly")
        db.session.commit()
        return release.id
