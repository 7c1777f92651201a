"""Recompute one school's summary rows from its own data; the job behind every upward view."""
from __future__ import annotations

import logging
from datetime import date

from flask import current_app
from sqlalchemy import delete, func, select

from wellbeing import db, jobs
from wellbeing import phase as phases
from wellbeing.audit import NOT_ACTIVITY, AuditEntry
from wellbeing.db import utcnow
from wellbeing.instruments.registry import registry
from wellbeing.plans.models import Action, ActionStatus, Period
from wellbeing.rounds import service as rounds
from wellbeing.rounds.models import Consensus, Priority, Respondent, Round, RoundStatus
from wellbeing.schoolyear import SchoolYear
from wellbeing.summaries.models import ElementSummary, PrioritySummary, RoundSummary, SchoolStatus
from wellbeing.tenancy.models import Municipality, School
from wellbeing.vignet import service as vignet

log = logging.getLogger(__name__)
PERIOD_END = {Period.P1: (10, 31), Period.P2: (1, 31), Period.P3: (4, 30), Period.P4: (7, 31), Period.YEAR: (7, 31)}


def period_end(school_year: SchoolYear, period: Period) -> date:
    month, day = PERIOD_END[period]
    return date(school_year.start_year + (0 if month >= 8 else 1), month, day)


def overdue_actions(school: School, today: date) -> int:
    pending = db.session.execute(select(Action.school_year, Action.period).where(
        Action.school_id == school.id, Action.status.in_([ActionStatus.PLANNED, ActionStatus.IN_PROGRESS]))).all()
    return sum(1 for year, period in pending if period_end(SchoolYear.parse(year), period) < today)


def _last_activity(school: School):
    audited = db.session.scalar(select(func.max(AuditEntry.at)).where(
        AuditEntry.school_id == school.id, AuditEntry.action.not_in(NOT_ACTIVITY)))
    answered = db.session.scalar(select(func.max(Respondent.submitted_at)).join(Round).where(
        Round.school_id == school.id))
    known = [moment for moment in (audited, answered) if moment is not None]
    return max(known) if known else None


def _status(school: School, region_id: int, today: date) -> SchoolStatus:
    facts = vignet.school_facts(school, today)
    readiness = vignet.readiness(school, facts)
    current = phases.phase(facts)
    latest = db.session.scalar(select(Round).where(Round.school_id == school.id,
                                                   Round.instrument_id == rounds.CHECKLIST_ID)
                               .order_by(Round.school_year.desc()).limit(1))
    progress = rounds.progress(latest) if latest else None
    year = str(SchoolYear.containing(today))
    levels = {m.intervention_id and _prevention(m.intervention_id) for m in facts.menu if m.status == "doing"}
    levels |= {a.intervention_id and _prevention(a.intervention_id) for a in facts.actions if a.status != "stopped"}
    doing = {m.pillar for m in facts.doing()}
    cert = readiness.certificate.certificate
    return SchoolStatus(
        school_id=school.id, region_id=region_id, municipality_id=school.municipality_id,
        school_type=school.school_type.value, phase=current.number, phase_complete=current.complete,
        readiness_met=readiness.met, readiness_total=readiness.total,
        certificate_expires=cert.expires_on if cert else None, last_activity=_last_activity(school),
        round_year=latest.school_year if latest else None, round_status=latest.status.value if latest else None,
        round_opened_at=latest.opened_at if latest else None,
        respondents_invited=progress.invited if progress else 0,
        respondents_submitted=progress.submitted if progress else 0,
        finalised_this_year=db.session.scalar(select(func.count()).select_from(Round).where(
            Round.school_id == school.id, Round.school_year == year, Round.status == RoundStatus.FINALISED)) > 0,
        uncovered_high=len(facts.uncovered_priorities()), overdue_actions=overdue_actions(school, today),
        doing_educatie="educatie" in doing, doing_signaleren="signaleren" in doing,
        doing_omgeving="omgeving" in doing, doing_beleid="beleid" in doing,
        uses_universal="universal" in levels, uses_selective="selective" in levels,
        uses_indicated="indicated" in levels, refreshed_at=utcnow())


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
        scores = picture.element_scores if picture.shown else {}
        scored = bool(scores) and all(score is not None for score in scores.values())
        rows.append(RoundSummary(round_id=round_.id, school_id=school.id, region_id=region_id,
                                 municipality_id=school.municipality_id, school_type=school.school_type.value,
                                 school_year=round_.school_year, scored=scored))
        if scored:
            rows += [ElementSummary(round_id=round_.id, element_id=element, score=score)
                     for element, score in scores.items()]
        rows += [PrioritySummary(round_id=round_.id, item_id=item) for item in db.session.scalars(
            select(Consensus.item_id).where(Consensus.round_id == round_.id, Consensus.priority == Priority.HIGH,
                                            Consensus.discussed.is_(True)))]
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


def schedule(school_ids: set[int]) -> None:
    """Refresh the schools' summaries once the commit that changed their data is done
    (``wellbeing.changes`` calls this; nothing else should): one waiting refresh per school covers
    every change made before it starts."""
    for school_id in sorted(school_ids):
        jobs.enqueue_once(refresh_school_job, school_id)


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
