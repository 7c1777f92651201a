"""Recompute one school's summary rows from its own data; the job behind every upward view."""
from __future__ import annotations

import logging
from datetime import date

from flask import current_app
from sqlalchemy import delete, func, select

from wellbeing import db, jobs
from wellbeing.audit import NOT_ACTIVITY, AuditEntry
from wellbeing.db import utcnow
from wellbeing.instruments.registry import registry
from wellbeing.plans.models import Action, ActionStatus
from wellbeing.progress import status
from wellbeing.progress.gather import school_facts
from wellbeing.rounds import service as rounds
from wellbeing.rounds.models import Consensus, Priority, Respondent, Round, RoundStatus
from wellbeing.schoolyear import SchoolYear
from wellbeing.summaries.models import ElementSummary, PrioritySummary, RoundSummary, SchoolStatus
from wellbeing.summaries.rows import round_rows
from wellbeing.tenancy.models import Municipality, School
from wellbeing.vignet import service as vignet

log = logging.getLogger(__name__)


def overdue_actions(school: School, today: date) -> int:
    pending = db.session.execute(select(Action.school_year, Action.period).where(
        Action.school_id == school.id, Action.status.in_([ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]))).all()
    return status.overdue(pending, today)


def _last_activity(school: School):
    audited = db.session.scalar(select(func.max(AuditEntry.at)).where(
        AuditEntry.school_id == school.id, AuditEntry.action.not_in(NOT_ACTIVITY)))
    answered = db.session.scalar(select(func.max(Respondent.submitted_at)).join(Round).where(
        Round.school_id == school.id))
    known = [moment for moment in (audited, answered) if moment is not None]
    return max(known) if known else None


def _status(school: School, region_id: int, today: date) -> SchoolStatus:
    facts = school_facts(school, today)
    readiness = vignet.readiness(school, facts)
    latest = db.session.scalar(select(Round).where(Round.school_id == school.id,
                                                   Round.instrument_id == rounds.CHECKLIST_ID)
                               .order_by(Round.school_year.desc()).limit(1))
    progress = rounds.progress(latest) if latest else None
    year = str(SchoolYear.containing(today))
    cert = readiness.certificate.certificate
    return SchoolStatus(**status.status_row(
        facts, school_id=school.id, region_id=region_id, municipality_id=school.municipality_id,
        results=readiness.results, certificate_expires=cert.expires_on if cert else None,
        last_activity=_last_activity(school),
        latest=status.LatestRound(latest.school_year, latest.status.value, latest.opened_at, progress.invited,
                                  progress.submitted) if latest and progress else None,
        finalised_this_year=db.session.scalar(select(func.count()).select_from(Round).where(
            Round.school_id == school.id, Round.school_year == year, Round.status == RoundStatus.FINALISED)) > 0,
        overdue_actions=overdue_actions(school, today), prevention=_prevention, refreshed_at=utcnow()))


def _prevention(intervention_id: str) -> str | None:
    found = registry().intervention(intervention_id)
    return found.prevention_level if found else None


def _round_rows(school: School, region_id: int, minimum: int, skip: set[int]) -> list:
    """Summary rows for each finalised round not in ``skip``: element scores only when every
    element has a team score."""
    rows: list = []
    finalised = db.session.scalars(select(Round).where(Round.school_id == school.id,
                                                       Round.status == RoundStatus.FINALISED,
                                                       Round.id.not_in(skip))).all()
    for round_ in finalised:
        picture = rounds.team_picture(round_, minimum)
        made = round_rows(round_id=round_.id, school_id=school.id, region_id=region_id,
                          municipality_id=school.municipality_id, school_type=school.school_type.value,
                          school_year=round_.school_year, scores=picture.element_scores if picture.shown else {},
                          high=db.session.scalars(select(Consensus.item_id).where(
                              Consensus.round_id == round_.id, Consensus.priority == Priority.HIGH,
                              Consensus.discussed.is_(True))))
        rows += [RoundSummary(**row) for row in made["summary_round"]]
        rows += [ElementSummary(**row) for row in made["summary_element"]]
        rows += [PrioritySummary(**row) for row in made["summary_priority"]]
    return rows


def refresh_school(school: School, today: date | None = None, full: bool = False) -> None:
    """Bring the school's summary rows up to date (in the current transaction; the caller commits).

    A finalised round never changes, so its summary is computed once: later refreshes (after every
    menu card or plan change) only add rounds finalised since, unless ``full`` or the school moved
    to another municipality or type. Computing a round's summary reads all its answers.
    """
    today = today or date.today()
    region_id = db.session.scalar(select(Municipality.region_id).where(Municipality.id == school.municipality_id))
    minimum = current_app.extensions["wellbeing.settings"].min_respondents
    keep = set() if full else set(db.session.scalars(select(RoundSummary.round_id).where(
        RoundSummary.school_id == school.id, RoundSummary.region_id == region_id,
        RoundSummary.municipality_id == school.municipality_id,
        RoundSummary.school_type == school.school_type.value)))
    stale = select(RoundSummary.round_id).where(RoundSummary.school_id == school.id,
                                               RoundSummary.round_id.not_in(keep))
    db.session.execute(delete(ElementSummary).where(ElementSummary.round_id.in_(stale)))
    db.session.execute(delete(PrioritySummary).where(PrioritySummary.round_id.in_(stale)))
    db.session.execute(delete(RoundSummary).where(RoundSummary.school_id == school.id,
                                                  RoundSummary.round_id.not_in(keep)))
    db.session.execute(delete(SchoolStatus).where(SchoolStatus.school_id == school.id))
    db.session.flush()
    db.session.add(_status(school, region_id, today))
    db.session.flush()
    rows = _round_rows(school, region_id, minimum, keep)
    db.session.add_all(r for r in rows if isinstance(r, RoundSummary))
    db.session.flush()
    db.session.add_all(r for r in rows if not isinstance(r, RoundSummary))
    db.session.flush()


@jobs.job("default")
def refresh_school_job(school_id: int) -> None:
    school = db.session.get(School, school_id)
    if school is not None:
        refresh_school(school)
        db.session.commit()


#: Above this many schools in one commit (an import of the school list) the refresh goes in batches:
#: one job per ``BATCH`` schools instead of a waiting job per school.
BULK = 100
BATCH = 500


@jobs.job("default")
def refresh_schools_job(school_ids: list[int]) -> None:
    today = date.today()
    for school in db.session.scalars(select(School).where(School.id.in_(school_ids))):
        refresh_school(school, today)
    db.session.commit()


def schedule(school_ids: set[int]) -> None:
    """Refresh the schools' summaries once the commit that changed their data is done
    (``wellbeing.changes`` calls this; nothing else should): one waiting refresh per school covers
    every change made before it starts; a bulk change (``BULK`` schools or more) is refreshed in
    batches, which costs 16 jobs instead of 8,000 for a national import."""
    ids = sorted(school_ids)
    if len(ids) < BULK:
        for school_id in ids:
            jobs.enqueue_once(refresh_school_job, school_id)
        return
    for start in range(0, len(ids), BATCH):
        jobs.enqueue(refresh_schools_job, ids[start:start + BATCH])


def refresh_all(batch: int = 200, region_id: int | None = None, full: bool = False) -> int:
    """Refresh every school (or one region's); commits per batch. Returns the number of schools.
    ``full`` recomputes the finalised rounds' summaries too (after a change of MIN_RESPONDENTS)."""
    query = select(School.id).order_by(School.id)
    if region_id is not None:
        query = query.join(Municipality).where(Municipality.region_id == region_id)
    ids = db.session.scalars(query).all()
    today = date.today()
    for start in range(0, len(ids), batch):
        for school in db.session.scalars(select(School).where(School.id.in_(ids[start:start + batch]))):
            refresh_school(school, today, full)
        db.session.commit()
        db.session.expunge_all()
    log.info("refreshed summaries of %d schools", len(ids))
    return len(ids)
