"""Demo rounds: finalised rounds over three earlier school years for most schools, and one round in
progress, with plausible, deterministic answers (a team that slowly improves)."""
from __future__ import annotations

import random
import secrets
from datetime import UTC, date, datetime, timedelta
from statistics import median

from sqlalchemy import insert, select

from wellbeing import db
from wellbeing.accounts.security import token_digest
from wellbeing.db import utcnow
from wellbeing.instruments.registry import registry
from wellbeing.rounds import releases
from wellbeing.rounds.models import Answer, Consensus, Priority, Respondent, Round, RoundMode, RoundStatus
from wellbeing.rounds.service import CHECKLIST_ID
from wellbeing.schoolyear import SchoolYear
from wellbeing.tenancy.models import School

CATEGORIES = ("teacher", "teacher", "teacher", "support", "management", "care")


def _answer(rng: random.Random, level: float) -> int | None:
    if rng.random() < 0.06:
        return None
    return max(1, min(4, round(rng.gauss(level, 0.8))))


def add_round(school: School, year: SchoolYear, status: RoundStatus, respondents: int, submitted: int,
              level: float, rng: random.Random, when: datetime | None = None) -> Round:
    """A round with answers; ``when`` dates it (default: now, or 15 March of a past school year)."""
    checklist = registry().latest(CHECKLIST_ID)
    items = [i.id for e in checklist.elements_for(school.school_type.value) for i in e.items_for(school.school_type.value)]
    now = when or min(utcnow(), datetime(year.start_year + 1, 3, 15, 10, tzinfo=UTC))
    round_ = Round(school_id=school.id, school_year=str(year), instrument_id=checklist.id,
                   instrument_version=checklist.version, mode=RoundMode.INDIVIDUAL, status=status, opened_at=now,
                   closed_at=now if status != RoundStatus.OPEN else None,
                   finalised_at=now if status == RoundStatus.FINALISED else None)
    db.session.add(round_)
    db.session.flush()
    item_level = {item: level + rng.uniform(-0.9, 0.9) for item in items}
    by_item: dict[str, list[int]] = {item: [] for item in items}
    answers = []
    for number in range(respondents):
        done = number < submitted
        respondent = Respondent(round_id=round_.id, token_hash=None if done else token_digest(secrets.token_urlsafe(16)),
                                category=rng.choice(CATEGORIES) if done else None,
                                started_at=now if done else None, submitted_at=now if done else None)
        db.session.add(respondent)
        db.session.flush()
        if not done:
            continue
        for item in items:
            value = _answer(rng, item_level[item])
            answers.append({"respondent_id": respondent.id, "item_id": item, "value": value, "updated_at": now})
            if value is not None:
                by_item[item].append(value)
    if answers:
        db.session.execute(insert(Answer), answers)
    # Answers reach pages only through releases: one holding everyone who sent, as a round would have
    # had (final for a finalised round).
    releases.release_if_due(round_, final=status == RoundStatus.FINALISED)
    if status == RoundStatus.FINALISED:
        lowest = sorted(items, key=lambda i: median(by_item[i]) if by_item[i] else 4)[:3]
        for index, item in enumerate(items):
            agreed = round(median(by_item[item])) if by_item[item] else None
            priority = Priority.HIGH if item == lowest[0] else Priority.MEDIUM if item in lowest else Priority.NONE
            if index % 5 == 4 and priority == Priority.NONE:
                continue  # as in a real meeting, the team did not get to every statement
            db.session.add(Consensus(round_id=round_.id, item_id=item, agreed_score=agreed, priority=priority,
                                     rationale=""))
    return round_


def load_demo_rounds(schools: list[School], in_progress: School) -> None:
    """Give most schools three finalised years and ``in_progress`` an open round this year."""
    current = SchoolYear.current()
    for index, school in enumerate(schools):
        if index % 6 == 5:
            continue  # a few schools have not started yet
        if db.session.scalar(select(Round.id).where(Round.school_id == school.id)) is not None:
            continue
        rng = random.Random(f"{school.brin}{school.vestiging}")
        base = rng.uniform(1.8, 2.6)
        team = rng.randint(8, 24)
        for step, year in enumerate((current - 3, current - 2, current - 1)):
            add_round(school, year, RoundStatus.FINALISED, team, team - rng.randint(0, 3), base + 0.3 * step, rng)
        if school.id == in_progress.id:  # opened seven weeks ago: the GSA sees it stall
            add_round(school, current, RoundStatus.OPEN, team, team // 2, base + 1.0, rng,
                      when=utcnow() - timedelta(days=49))
        elif index % 3 != 2:  # most schools have finished this year's round already
            days_ago = rng.randint(0, max(0, min(80, (date.today() - current.first_day).days)))
            add_round(school, current, RoundStatus.FINALISED, team, team - rng.randint(0, 2), base + 0.9, rng,
                      when=utcnow() - timedelta(days=days_ago))
