"""Periodic jobs: due reminders go out once, however often a job or the scheduler runs, and a lock
that expires keeps two runs apart without ever blocking for good."""
from __future__ import annotations

import random
from datetime import date, timedelta, UTC

from flask_babel import force_locale, format_date
from sqlalchemy import func, select

from tests import factories
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.periodic import jobs as periodic
from wellbeing.periodic import locks, schedule
from wellbeing.periodic.models import JobLock, SentNotice
from wellbeing.rounds.demo import add_round
from wellbeing.rounds.models import Invitee, RoundStatus
from wellbeing.schoolyear import SchoolYear
from wellbeing.vignet.models import Certificate

TODAY = date.today()


def test_the_closing_reminder_goes_to_every_invitee_once(app, ctx, outbox):
    school = factories.school(name="De Klimop")
    round_ = add_round(school, SchoolYear.current(), RoundStatus.OPEN, 3, 1, 3.0, random.Random(3))
    later = add_round(factories.school(), SchoolYear.current(), RoundStatus.OPEN, 3, 1, 3.0, random.Random(4))
    round_.closes_on, later.closes_on = TODAY + timedelta(days=2), TODAY + timedelta(days=20)
    db.session.add_all([Invitee(round_id=round_.id, email=f"t{n}@example.org") for n in range(3)]
                       + [Invitee(round_id=later.id, email="later@example.org")])
    db.session.commit()
    assert periodic.remind_closing_rounds(TODAY) == 3
    assert periodic.remind_closing_rounds(TODAY) == 0
    assert periodic.remind_closing_rounds(TODAY + timedelta(days=1)) == 0
    mails = outbox()
    assert len(mails) == 3 and all("De Klimop" in m for m in mails)
    assert not any("later@example.org" in m for m in mails)
    with force_locale("nl"):
        dutch_day = format_date(round_.closes_on, "long")  # "3 december 2026", never "2026-12-03"
    assert all(dutch_day in m and round_.closes_on.isoformat() not in m for m in mails)


def test_certificate_reminders_go_to_coordinators_half_a_year_and_a_month_before(app, ctx, outbox):
    school = factories.school(name="De Horizon")
    factories.user(Role.SCHOOL_COORDINATOR, school, email="coordinator@example.org")
    db.session.add(Certificate(school_id=school.id, awarded_on=TODAY - timedelta(days=1000),
                               expires_on=TODAY + timedelta(days=100)))
    db.session.commit()
    assert periodic.remind_expiring_certificates(TODAY) == 1
    assert periodic.remind_expiring_certificates(TODAY) == 0
    assert periodic.remind_expiring_certificates(TODAY + timedelta(days=75)) == 1  # the month-before notice
    assert periodic.remind_expiring_certificates(TODAY + timedelta(days=76)) == 0
    mails = outbox()
    assert len(mails) == 2 and all("To: coordinator@example.org" in m for m in mails)


def test_a_renewed_certificate_silences_the_reminder_for_the_old_one(app, ctx, outbox):
    school = factories.school()
    factories.user(Role.SCHOOL_COORDINATOR, school)
    db.session.add_all([Certificate(school_id=school.id, awarded_on=TODAY - timedelta(days=1000),
                                    expires_on=TODAY + timedelta(days=20)),
                        Certificate(school_id=school.id, awarded_on=TODAY, expires_on=TODAY + timedelta(days=1095))])
    db.session.commit()
    assert periodic.remind_expiring_certificates(TODAY) == 0 and outbox() == []


def test_a_held_lock_keeps_a_second_run_out_until_it_expires(app, ctx):
    first = locks.acquire("job", timedelta(minutes=5))
    assert first is not None and locks.acquire("job", timedelta(minutes=5)) is None
    db.session.execute(JobLock.__table__.update().values(expires_at=db.utcnow() - timedelta(seconds=1)))
    db.session.commit()
    taken_over = locks.acquire("job", timedelta(minutes=5))
    assert taken_over is not None and taken_over != first
    locks.release("job", first)  # the crashed run's late release must not free the new holder's lock
    assert locks.acquire("job", timedelta(minutes=5)) is None
    locks.release("job", taken_over)
    assert db.session.scalar(select(func.count()).select_from(JobLock)) == 0


def test_a_job_whose_lock_is_held_does_nothing(app, ctx, outbox):
    school = factories.school()
    round_ = add_round(school, SchoolYear.current(), RoundStatus.OPEN, 3, 1, 3.0, random.Random(5))
    round_.closes_on = TODAY + timedelta(days=1)
    db.session.add(Invitee(round_id=round_.id, email="x@example.org"))
    db.session.commit()
    token = locks.acquire("remind-closing-rounds", timedelta(minutes=5))
    assert periodic.remind_closing_rounds(TODAY) == 0 and outbox() == []
    locks.release("remind-closing-rounds", token)
    assert periodic.remind_closing_rounds(TODAY) == 1


def test_the_scheduler_queues_each_job_once_per_bucket(app, ctx):
    from datetime import datetime
    night = datetime(2026, 11, 24, 0, 30, tzinfo=UTC)
    assert sorted(schedule.tick(night)) == ["remind-closing-rounds"]  # daily jobs wait
    assert schedule.tick(night + timedelta(minutes=20)) == []          # same hour: nothing again
    morning = datetime(2026, 11, 24, 7, 5, tzinfo=UTC)
    assert sorted(schedule.tick(morning)) == ["overview-release", "refresh-summaries", "remind-closing-rounds",
                                              "remind-expiring-certificates"]
    assert schedule.tick(morning + timedelta(minutes=30)) == []
    kinds = db.session.scalars(select(SentNotice.kind)).all()
    assert kinds.count("periodic:refresh-summaries") == 1


def test_releases_follow_the_calendar_once_a_day_and_never_twice(app, ctx):
    from datetime import date

    from wellbeing.release.job import is_release_day, next_release_day, release_when_due
    from wellbeing.release.models import Release
    from wellbeing.summaries.refresh import refresh_school

    refresh_school(factories.school())
    db.session.commit()
    assert release_when_due(date(2026, 11, 24)) is not None          # none yet: the first one at once
    assert release_when_due(date(2026, 11, 25)) is None              # not a release day
    assert release_when_due(date(2026, 12, 1)) is not None           # the 1st of the month
    assert release_when_due(date(2026, 12, 1)) is None               # once a day
    assert db.session.scalar(select(func.count()).select_from(Release)) == 2
    assert is_release_day(date(2027, 7, 31)) and not is_release_day(date(2027, 7, 30))
    assert next_release_day(date(2027, 7, 5)) == date(2027, 7, 31)
    assert next_release_day(date(2027, 7, 31)) == date(2027, 8, 1)
    assert next_release_day(date(2026, 12, 31)) == date(2027, 1, 1)
