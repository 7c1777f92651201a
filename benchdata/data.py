"""Generate a benchmark instance straight into the database, in phases, and say how long each took.

``generate`` writes everything in one transaction: tenancy, the benchmark logins, and per chunk of
schools their rounds, respondents, answers, agreed scores, menu cards, plans, vignet data, audit
entries and summary rows (computed in bulk, the same as ``refresh_school`` would).
"""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from wellbeing import db
from wellbeing.accounts.security import hash_password
from wellbeing.auth.models import SecondFactor
from wellbeing.auth.second_factor import seal
from benchdata import instruments as bench_instruments
from benchdata.layout import SCALES, Layout, make_layout
from benchdata.school import YEARS, Context, make_school
from benchdata.summaries import school_rows
from benchdata.writer import ORDER, Writer, vacuum_analyze
from wellbeing.db import utcnow
from wellbeing.instruments.registry import registry
from wellbeing.release.job import make_release

DOMAIN = "bench.welbevinden.nl"
# The benchmark's logins above coordinator use a second factor, as real ones must; its secret is
# public like theirs (benchdata.load enters the codes).
BENCH_TOTP_SECRET = "BENCHWELBEVINDENTOTPGEHEIM234567"
PORTFOLIO_SIZE = 60


class BenchDataError(RuntimeError):
    """The data cannot be generated here; the message says why."""


@dataclass
class Result:
    scale: str
    seed: int
    answer_years: int
    logins: list[tuple[str, str, str]] = field(default_factory=list)   # role, e-mail, scope
    counts: dict[str, int] = field(default_factory=dict)
    timings: list[tuple[str, float]] = field(default_factory=list)


def default_answer_years(scale: str) -> int:
    """Full answers for all five years: even national (~41 million answers) loads in about a minute and
    a half on two cores (bench/README.md). ``--answer-years`` stores fewer when time is short."""
    return YEARS


def generate(scale_name: str, seed: int, password: str, answer_years: int | None = None, answer_scale: int = 1,
             today: date | None = None, chunk: int = 400, echo: Callable[[str], None] = lambda _: None) -> Result:
    scale = SCALES[scale_name]
    today = today or date.today()
    answer_years = default_answer_years(scale_name) if answer_years is None else answer_years
    if not 0 <= answer_years <= YEARS:
        raise BenchDataError(f"answer years must be between 0 and {YEARS}")
    settings = current_app.extensions["wellbeing.settings"]
    result = Result(scale_name, seed, answer_years)
    clock = _Clock(result, echo)
    instruments = bench_instruments.load(registry(), today)
    now = utcnow().replace(microsecond=0)
    with db.engine().begin() as connection:
        if connection.scalar(text("SELECT count(*) FROM region WHERE code LIKE 'BENCH-%'")):
            raise BenchDataError("benchmark data is present already; generate into an empty database")
        writer = Writer(connection)
        ids = writer.max_ids()
        layout = make_layout(scale, seed, ids)
        for table, specs in (("region", layout.regions), ("municipality", layout.municipalities),
                             ("board", layout.boards), ("school", layout.schools)):
            ids[table] = max([s.id for s in specs], default=ids[table])
        _write_tenancy(writer, layout, now)
        focus = _focus(layout)
        _write_logins(writer, layout, focus, ids, password, seed, now, result)
        clock.lap("tenancy and logins", f"{len(layout.regions)} regions, {len(layout.municipalities)} "
                                        f"municipalities, {len(layout.schools)} schools")
        writer.defer_constraints()
        ctx = Context(seed, today, instruments, ids, answer_years, answer_scale, scale.team_factor,
                      force_open=focus["school"].id)
        minimum = settings.min_respondents
        spent = {"generate": 0.0, "summaries": 0.0, "write answers": 0.0, "write other rows": 0.0}
        for start in range(0, len(layout.schools), chunk):
            moment = time.perf_counter()
            made = [make_school(spec, ctx) for spec in layout.schools[start:start + chunk]]
            spent["generate"] += time.perf_counter() - moment
            moment = time.perf_counter()
            rows: dict[str, list[tuple]] = {}
            for school in made:
                for table, table_rows in school.rows.items():
                    rows.setdefault(table, []).extend(table_rows)
                for table, table_rows in school_rows(school, instruments, today, minimum, now).items():
                    rows.setdefault(table, []).extend(table_rows)
            spent["summaries"] += time.perf_counter() - moment
            for table in ORDER:
                moment = time.perf_counter()
                if table == "answer":
                    ids["answer"] = writer.answers((b for s in made for b in s.answers), ids["answer"])
                    spent["write answers"] += time.perf_counter() - moment
                else:
                    writer.rows(table, rows.get(table, []))
                    spent["write other rows"] += time.perf_counter() - moment
            echo(f"  {min(start + chunk, len(layout.schools))}/{len(layout.schools)} schools, "
                 f"{writer.counts.get('answer', 0):,} answers")
        for name, seconds in spent.items():
            result.timings.append((name, seconds))
            echo(f"{name:<28} {seconds:7.1f} s")
        clock.reset()
        writer.restore_constraints()
        clock.lap("rebuild keys and indexes", "answer, respondent, consensus" if writer.postgres else "(SQLite: none)")
        writer.move_sequences(ids)
    clock.reset()
    vacuum_analyze(db.engine())
    clock.lap("vacuum and analyze", "")
    if _release(today, echo):
        clock.lap("overview release (audit included)", "the stored figures every overview page reads")
    result.counts = dict(writer.counts)
    return result


def _release(today: date, echo: Callable[[str], None]) -> bool:
    """Make the first release of the overviews, as the scheduler would. The data is committed
    already; a failure here is reported, and the scheduled release will make it later."""
    try:
        release = make_release(today, "manual")
        db.session.commit()
    except SQLAlchemyError as exc:
        db.session.rollback()
        echo(f"warning: overview release not stored: {type(exc).__name__}: {str(exc).splitlines()[0]}")
        return False
    echo(f"overview release: {release.cells:,} cells, {release.hidden:,} hidden, {release.seconds:.1f} s")
    return True


class _Clock:
    def __init__(self, result: Result, echo: Callable[[str], None]) -> None:
        self.result, self.echo = result, echo
        self.reset()

    def reset(self) -> None:
        self.started = time.perf_counter()

    def lap(self, name: str, detail: str) -> None:
        seconds = time.perf_counter() - self.started
        self.result.timings.append((name, seconds))
        self.echo(f"{name:<28} {seconds:7.1f} s  {detail}")
        self.reset()


def _write_tenancy(writer: Writer, layout: Layout, now: datetime) -> None:
    writer.rows("region", [(r.id, r.code, r.name, now) for r in layout.regions])
    writer.rows("municipality", [(m.id, m.code, m.name, m.region_id) for m in layout.municipalities])
    writer.rows("board", [(b.id, b.code, b.name) for b in layout.boards])
    writer.rows("school", [(s.id, s.brin, s.vestiging, s.name, s.school_type, s.municipality_id, s.board_id,
                            "content" if s.content_sharing else "progress", now) for s in layout.schools])


def _focus(layout: Layout) -> dict:
    """The region, municipality and school the benchmark logins look at: the first (largest) region,
    its largest municipality, and a vo school there (po when there is none)."""
    region = layout.regions[0]
    municipality = next(m for m in layout.municipalities if m.region_id == region.id and m.rank == 0)
    here = [s for s in layout.schools if s.municipality_id == municipality.id]
    school = next((s for s in here if s.school_type == "vo"), here[0])
    return {"region": region, "municipality": municipality, "school": school}


def _second_factors(writer: Writer, user_ids: list[int], now: datetime) -> None:
    writer.connection.execute(SecondFactor.__table__.insert(), [
        {"user_id": user_id, "secret_sealed": seal(BENCH_TOTP_SECRET), "created_at": now, "confirmed_at": now,
         "last_counter": 0} for user_id in user_ids])


def _write_logins(writer: Writer, layout: Layout, focus: dict, ids: dict[str, int], password: str, seed: int,
                  now: datetime, result: Result) -> None:
    digest = hash_password(password)
    region, municipality, school = focus["region"], focus["municipality"], focus["school"]
    people = [("platform_admin", "platform", "Bench Platformbeheer", {}, "everything"),
              ("region_admin", "ggd", "Bench GGD-beheer", {"region_id": region.id}, region.name),
              ("municipality_officer", "gemeente", "Bench Beleid", {"municipality_id": municipality.id},
               municipality.name),
              ("gsa", "gsa", "Bench Adviseur", {"region_id": region.id}, f"{region.name}, {PORTFOLIO_SIZE} schools"),
              ("school_coordinator", "school", "Bench Coördinator", {"school_id": school.id}, school.name)]
    users, memberships = [], []
    for role, local, name, scope, described in people:
        ids["user_account"] += 1
        ids["membership"] += 1
        email = f"{local}@{DOMAIN}"
        users.append((ids["user_account"], email, name, digest, "nl", True, now))
        memberships.append((ids["membership"], ids["user_account"], role, scope.get("region_id"),
                            scope.get("municipality_id"), scope.get("school_id")))
        result.logins.append((role, email, described))
    existing = writer.connection.scalar(text("SELECT count(*) FROM user_account WHERE email LIKE :pattern"),
                                        {"pattern": f"%@{DOMAIN}"})
    if existing:
        raise BenchDataError(f"users @{DOMAIN} exist already; generate into an empty database")
    writer.rows("user_account", users)
    writer.rows("membership", memberships)
    _second_factors(writer, [user[0] for user, person in zip(users, people) if person[0] != "school_coordinator"], now)
    gsa_id = users[3][0]
    in_region = [s.id for s in layout.schools if s.region_id == region.id]
    portfolio = sorted(random.Random(f"{seed}/portfolio").sample(in_region, min(PORTFOLIO_SIZE, len(in_region))))
    rows = []
    for school_id in portfolio:
        ids["portfolio_assignment"] += 1
        rows.append((ids["portfolio_assignment"], gsa_id, school_id, now))
    writer.rows("portfolio_assignment", rows)
