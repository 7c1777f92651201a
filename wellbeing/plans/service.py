"""Multi-year plan operations. Helpers add to the current transaction; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from wellbeing import db
from wellbeing.plans.models import MAX_YEARS, Action, ActionStatus, Goal, Period, Plan
from wellbeing.progress import facts as progress
from wellbeing.progress.gather import goal_facts, priority_round
from wellbeing.rounds import service as rounds
from wellbeing.rounds.models import Consensus, Priority
from wellbeing.schoolyear import SchoolYear
from wellbeing.tenancy.models import School


class PlanError(ValueError):
    """A plan change is not possible; ``code`` says why (the view translates it)."""

    def __init__(self, code: str, **detail: object) -> None:
        super().__init__(code)
        self.code, self.detail = code, detail


def plan_of(school: School) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.school_id == school.id))


def plan_or_default(school: School) -> Plan:
    """The school's plan, or an unsaved one over the current and the next school year (for display)."""
    return plan_of(school) or Plan(school_id=school.id, first_year=str(SchoolYear.current()), years=2)


def ensure_plan(school: School) -> Plan:
    """The school's plan, created on first use over the current and the next school year."""
    plan = plan_of(school)
    if plan is None:
        plan = Plan(school_id=school.id, first_year=str(SchoolYear.current()), years=2)
        db.session.add(plan)
        db.session.flush()
    return plan


def set_window(plan: Plan, first_year: SchoolYear, years: int) -> None:
    """Move or resize the plan's window; refuses when actions would fall outside it."""
    if not 1 <= years <= MAX_YEARS:
        raise PlanError("years-range")
    window = {str(first_year + n) for n in range(years)}
    outside = db.session.scalar(select(Action.id).where(Action.school_id == plan.school_id,
                                                        Action.school_year.not_in(window)).limit(1))
    if outside is not None:
        raise PlanError("actions-outside")
    plan.first_year, plan.years = str(first_year), years


def goals(school: School) -> list[Goal]:
    return list(db.session.scalars(select(Goal).where(Goal.school_id == school.id)
                                   .order_by(Goal.target_year, Goal.id)))


def actions(school: School, year: SchoolYear | None = None) -> list[Action]:
    query = select(Action).where(Action.school_id == school.id)
    if year is not None:
        query = query.where(Action.school_year == str(year))
    return list(db.session.scalars(query.order_by(Action.school_year, Action.period, Action.pillar, Action.id)))


def get_goal(school: School, goal_id: int) -> Goal | None:
    goal = db.session.get(Goal, goal_id)
    return goal if goal is not None and goal.school_id == school.id else None


def get_action(school: School, action_id: int) -> Action | None:
    action = db.session.get(Action, action_id)
    return action if action is not None and action.school_id == school.id else None


def carry_over(school: School, year: SchoolYear) -> list[Action]:
    """Copy the unfinished actions of ``year`` into the next year, once each.

    The originals stay as they were, so the agenda of ``year`` still shows what was planned then;
    the copies point back at them. The plan grows by a year when needed, up to four years.
    """
    plan = ensure_plan(school)
    target = year + 1
    if not plan.covers(target):
        if SchoolYear.parse(plan.first_year) + plan.years != target or plan.years >= MAX_YEARS:
            raise PlanError("beyond-window", year=str(target))
        plan.years += 1
    already = carried_ids(school)
    pending = [a for a in db.session.scalars(select(Action).where(
        Action.school_id == school.id, Action.school_year == str(year),
        Action.status.in_([ActionStatus.PLANNED, ActionStatus.IN_PROGRESS])).order_by(Action.id))
        if a.id not in already]
    copies = [Action(school_id=school.id, goal_id=a.goal_id, pillar=a.pillar, title=a.title,
                     activity_id=a.activity_id, intervention_id=a.intervention_id, owner=a.owner,
                     school_year=str(target), period=a.period,
                     status=ActionStatus.PLANNED if a.status == ActionStatus.PLANNED else ActionStatus.IN_PROGRESS,
                     carried_from_id=a.id) for a in pending]
    db.session.add_all(copies)
    db.session.flush()
    return copies


def carried_ids(school: School) -> set[int]:
    """Ids of the school's actions that were already carried over to a next year."""
    return set(db.session.scalars(select(Action.carried_from_id).where(Action.school_id == school.id,
                                                                       Action.carried_from_id.isnot(None))))


def agenda(school: School, year: SchoolYear) -> dict[Period, list[Action]]:
    """The year's actions by period, in the order of the school year."""
    result: dict[Period, list[Action]] = {period: [] for period in Period}
    for action in actions(school, year):
        result[action.period].append(action)
    return result


@dataclass(frozen=True)
class PriorityStatement:
    item_id: str
    element_id: str
    text: dict[str, str]
    element_title: dict[str, str]
    priority: Priority
    agreed_score: int | None
    rationale: str
    school_year: str


def priorities(school: School, levels: tuple[Priority, ...] = (Priority.HIGH, Priority.MEDIUM)) -> list[PriorityStatement]:
    """The statements the team gave a priority in its most recent round, high first."""
    round_ = priority_round(school)
    if round_ is None:
        return []
    instrument = rounds.instrument_of(round_)
    where = {}
    for element in instrument.elements:
        for item in element.items:
            where[item.id] = (element, item)
    rows = db.session.scalars(select(Consensus).where(Consensus.round_id == round_.id,
                                                      Consensus.priority.in_(levels),
                                                      Consensus.discussed.is_(True))).all()
    order = {level: n for n, level in enumerate(levels)}
    result = [PriorityStatement(c.item_id, where[c.item_id][0].id, where[c.item_id][1].text,
                                where[c.item_id][0].title, c.priority, c.agreed_score, c.rationale,
                                round_.school_year)
              for c in rows if c.item_id in where]
    return sorted(result, key=lambda p: (order[p.priority], p.element_id, p.item_id))


def uncovered(school: School) -> list[PriorityStatement]:
    """High priorities without any action: no goal answering the statement has an action yet."""
    high = priorities(school, (Priority.HIGH,))
    left = set(progress.uncovered([p.item_id for p in high], goal_facts(school)))
    return [p for p in high if p.item_id in left]
