"""Read a school's ``SchoolFacts`` from the database, in a fixed handful of queries."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from wellbeing import db
from wellbeing.instruments.registry import registry
from wellbeing.menucard.models import MenuEntry
from wellbeing.plans.models import Action, Goal, Plan
from wellbeing.progress.facts import ActionFact, GoalFact, MenuFact, SchoolFacts
from wellbeing.rounds import service as rounds
from wellbeing.rounds.models import Consensus, Priority, Round, RoundStatus
from wellbeing.schoolyear import SchoolYear
from wellbeing.tenancy.models import School
from wellbeing.vignet.models import Attestation


def _level(intervention_id: str | None) -> str | None:
    intervention = registry().intervention(intervention_id) if intervention_id else None
    return intervention.recognition if intervention else None


def priority_round(school: School) -> Round | None:
    """The most recent round in which the team set priorities (an open round without any is skipped)."""
    with_priorities = select(Consensus.round_id).where(Consensus.priority.in_([Priority.HIGH, Priority.MEDIUM]),
                                                      Consensus.discussed.is_(True))
    return db.session.scalar(select(Round).where(Round.school_id == school.id,
                                                 Round.instrument_id == rounds.CHECKLIST_ID,
                                                 Round.id.in_(with_priorities))
                             .order_by(Round.school_year.desc()).limit(1))


def _goals(school: School, with_action: set[int]) -> tuple[GoalFact, ...]:
    return tuple(GoalFact(g.id, g.complete, g.element_id, g.item_id, g.id in with_action)
                 for g in db.session.scalars(select(Goal).where(Goal.school_id == school.id)))


def goal_facts(school: School) -> tuple[GoalFact, ...]:
    """The school's goals, each knowing whether an action serves it."""
    with_action = set(db.session.scalars(select(Action.goal_id).where(Action.school_id == school.id,
                                                                      Action.goal_id.isnot(None))))
    return _goals(school, with_action)


def school_facts(school: School, today: date | None = None) -> SchoolFacts:
    """Everything the phase and the criteria look at, in a fixed handful of queries."""
    today = today or date.today()
    round_rows = db.session.execute(select(Round.id, Round.status, Round.finalised_at).where(
        Round.school_id == school.id, Round.instrument_id == rounds.CHECKLIST_ID)
        .order_by(Round.school_year.desc())).all()
    finalised = [r.finalised_at.date() for r in round_rows if r.status == RoundStatus.FINALISED and r.finalised_at]
    source = priority_round(school)
    high = () if source is None else tuple(db.session.scalars(select(Consensus.item_id).where(
        Consensus.round_id == source.id, Consensus.priority == Priority.HIGH,
        Consensus.discussed.is_(True)).order_by(Consensus.item_id)))
    plan = db.session.scalar(select(Plan).where(Plan.school_id == school.id))
    menu = tuple(MenuFact(e.activity_id, e.pillar, e.status.value if e.status else None, e.intervention_id,
                          _level(e.intervention_id))
                 for e in db.session.scalars(select(MenuEntry).where(MenuEntry.school_id == school.id)))
    actions = db.session.scalars(select(Action).where(Action.school_id == school.id)).all()
    goals = _goals(school, {a.goal_id for a in actions if a.goal_id})
    attested = {criterion: at.date() for criterion, at in db.session.execute(
        select(Attestation.criterion_id, Attestation.attested_at).where(Attestation.school_id == school.id))}
    return SchoolFacts(
        school_type=school.school_type.value, today=today, rounds=len(round_rows),
        last_finalised=max(finalised) if finalised else None, high_priorities=high,
        working_group=bool(plan and plan.coordinator.strip() and plan.working_group.strip()),
        menu=menu, goals=goals, attested=attested,
        actions=tuple(ActionFact(a.pillar, SchoolYear.parse(a.school_year), a.status.value, bool(a.evaluation.strip()),
                                 a.goal_id, a.activity_id, a.intervention_id, _level(a.intervention_id))
                      for a in actions))
