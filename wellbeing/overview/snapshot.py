"""The national overview, computed by a job and stored, so the page reads one row.

A national page would otherwise read every school's summaries on each request (8,000 schools,
five years of element scores); the figures change only when summaries do, at most nightly for
the country as a whole.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import String, Text, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing import db, jobs
from wellbeing.db import Base, UTCDateTime, utcnow
from wellbeing.overview.data import (CountCell, CountRow, CountTable, Distribution, Overview, PriorityCount,
                                     ScoreRow, Trend, TrendPoint, YearScores)

LOCALES = ("nl", "en")


class OverviewSnapshot(Base):
    __tablename__ = "overview_snapshot"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)   # e.g. "national:nl", "region:3:en"
    version: Mapped[str] = mapped_column(String(160), default="")     # what the figures were computed from
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    payload: Mapped[str] = mapped_column(Text)


def dumps(overview: Overview) -> str:
    return json.dumps(asdict(overview), default=lambda value: value.isoformat(), ensure_ascii=False)


def loads(text: str) -> Overview:
    raw = json.loads(text)

    def table(t: dict) -> CountTable:
        return CountTable(t["title"], tuple(CountRow(r["label"], {k: CountCell(**c) for k, c in r["cells"].items()})
                                            for r in t["rows"]))

    return Overview(
        kind=raw["kind"], area_name=raw["area_name"], school_year=raw["school_year"], minimum=raw["minimum"],
        generated_on=date.fromisoformat(raw["generated_on"]), types=tuple(raw["types"]),
        type_labels=raw["type_labels"], schools=raw["schools"],
        participation=table(raw["participation"]), pillars=table(raw["pillars"]),
        prevention=table(raw["prevention"]), certificates=table(raw["certificates"]),
        scores=tuple(YearScores(y["school_year"], tuple(
            ScoreRow(r["element_id"], r["title"], {k: Distribution(**c) for k, c in r["cells"].items()})
            for r in y["rows"])) for y in raw["scores"]),
        trends=tuple(Trend(t["element_id"], t["title"], tuple(TrendPoint(**p) for p in t["points"]))
                     for t in raw["trends"]),
        priorities=tuple(PriorityCount(**p) for p in raw["priorities"]), priorities_hidden=raw["priorities_hidden"])


def cached(key: str, version: str, compute: Callable[[], Overview]) -> Overview:
    """The overview stored under ``key`` when it was computed from ``version``; otherwise compute,
    store and return it. Shared by every web worker; a concurrent store of the same key is fine."""
    row = db.session.get(OverviewSnapshot, key)
    if row is not None and row.version == version:
        return loads(row.payload)
    overview = compute()
    try:
        row = db.session.get(OverviewSnapshot, key) or OverviewSnapshot(key=key)
        row.version, row.payload, row.computed_at = version, dumps(overview), utcnow()
        db.session.add(row)
        db.session.commit()
    except IntegrityError:  # another worker stored it at the same moment: theirs is as good
        db.session.rollback()
    return overview


def stored(locale: str) -> tuple[Overview, datetime] | None:
    row = db.session.get(OverviewSnapshot, f"national:{locale}")
    return (loads(row.payload), row.computed_at) if row else None


def refresh_national(today: date | None = None) -> None:
    """Compute and store the national overview in every language (the caller commits)."""
    from wellbeing.overview import service
    from wellbeing.overview.build import build_national
    from wellbeing.schoolyear import SchoolYear
    from wellbeing.tenancy.models import Municipality

    today = today or date.today()
    current = SchoolYear.containing(today)
    years = [str(current - n) for n in range(service.YEARS_SHOWN - 1, -1, -1)]
    region_of = dict(db.session.execute(select(Municipality.id, Municipality.region_id)).all())
    schools = service.school_records(None, today)
    rounds = service.round_records(None, years)
    minimum = current_app.extensions["wellbeing.settings"].min_schools
    for locale in LOCALES:
        with force_locale(locale):
            overview = build_national(_("the Netherlands"), region_of, schools, rounds, years, str(current),
                                      minimum, service.labels(), today)
        row = db.session.get(OverviewSnapshot, f"national:{locale}") or OverviewSnapshot(key=f"national:{locale}")
        row.payload, row.computed_at = dumps(overview), utcnow()
        db.session.add(row)


@jobs.job("default")
def refresh_national_job() -> None:
    refresh_national()
    db.session.commit()
