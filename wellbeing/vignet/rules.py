"""Decide vignet criteria from a school's facts: pure functions, no database, no request.

A data rule is either met or missing; an ``attestation`` criterion needs the coordinator's
attestation (an evidence note or file) until it is given, and again once it is older than the rule's
``valid_months`` (by default three years, as long as a certificate lasts): evidence describes the
school as it was. The product shows readiness; the real certificate is applied for at
Mijngezondeschool.
"""
from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from wellbeing.progress.facts import RECOGNITION_LEVELS, MenuFact, SchoolFacts
from wellbeing.instruments.vignet import Criterion, Rule, VignetCriteria

MET, MISSING, NEEDS_ATTESTATION = "met", "missing", "needs_attestation"


@dataclass(frozen=True)
class Result:
    criterion: Criterion
    status: str
    missing_pillars: tuple[str, ...] = ()  # pillars that fall short, for plan_actions / pillar menu rules

    @property
    def met(self) -> bool:
        return self.status == MET


def evaluate(criterion: Criterion, facts: SchoolFacts) -> Result:
    """The status of one criterion for the school described by ``facts``."""
    return _EVALUATORS[criterion.rule.type](criterion, criterion.rule, facts)


def evaluate_all(criteria_instrument: VignetCriteria, facts: SchoolFacts) -> tuple[Result, ...]:
    """Every criterion of ``criteria_instrument``, in file order. Raises ``ValueError`` when the
    criteria are for another school type than the school's."""
    if criteria_instrument.school_type != facts.school_type:
        raise ValueError(f"criteria {criteria_instrument.id} v{criteria_instrument.version} are for "
                         f"{criteria_instrument.school_type!r}, the school is {facts.school_type!r}")
    return tuple(evaluate(criterion, facts) for criterion in criteria_instrument.criteria)


def _result(criterion: Criterion, met: bool, missing_pillars: tuple[str, ...] = ()) -> Result:
    return Result(criterion, MET if met else MISSING, () if met else missing_pillars)


def _attestation(criterion: Criterion, rule: Rule, facts: SchoolFacts) -> Result:
    on = facts.attested.get(criterion.id)
    current = on is not None and on >= months_before(facts.today, rule.valid_months)
    return Result(criterion, MET if current else NEEDS_ATTESTATION)


def attestation_outdated(criterion: Criterion, facts: SchoolFacts) -> bool:
    """Whether the criterion was attested once, but too long ago to count."""
    return criterion.id in facts.attested and evaluate(criterion, facts).status == NEEDS_ATTESTATION


def _round_finalised(criterion: Criterion, rule: Rule, facts: SchoolFacts) -> Result:
    finalised = facts.last_finalised
    return _result(criterion, finalised is not None and finalised >= months_before(facts.today, rule.within_months))


def _menu_card(criterion: Criterion, rule: Rule, facts: SchoolFacts) -> Result:
    named = set(rule.activities)
    counted = [m for m in facts.doing(rule.pillar)
               if (not named or m.activity_id in named) and _recognised_enough(m, rule.recognised)]
    # A menu activity counts once however often it appears; each activity of the school's own counts.
    count = len({m.activity_id for m in counted if m.activity_id}) + sum(1 for m in counted if not m.activity_id)
    return _result(criterion, count >= rule.min, (rule.pillar,) if rule.pillar else ())


def _plan_actions(criterion: Criterion, rule: Rule, facts: SchoolFacts) -> Result:
    current = facts.school_year
    short = tuple(pillar for pillar in rule.pillars
                  if sum(1 for a in facts.actions
                         if a.pillar == pillar and a.status in rule.statuses and a.school_year >= current) < rule.min)
    return _result(criterion, not short, short)


def _plan_goals(criterion: Criterion, rule: Rule, facts: SchoolFacts) -> Result:
    return _result(criterion, sum(1 for g in facts.goals if g.complete) >= rule.min)


def _priorities_covered(criterion: Criterion, rule: Rule, facts: SchoolFacts) -> Result:
    # Without any round there are no priorities to cover yet, which is not the same as covering them.
    return _result(criterion, facts.rounds > 0 and not facts.uncovered_priorities())


def _evaluated(criterion: Criterion, rule: Rule, facts: SchoolFacts) -> Result:
    return _result(criterion, sum(1 for a in facts.actions if a.status == "done" and a.has_evaluation) >= rule.min)


def _recognised_enough(entry: MenuFact, lowest: str | None) -> bool:
    if lowest is None:
        return True
    level = entry.intervention_level
    return level in RECOGNITION_LEVELS and RECOGNITION_LEVELS.index(level) >= RECOGNITION_LEVELS.index(lowest)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, or the last day of that month when it is
    shorter (31 March minus one month is 28 or 29 February)."""
    years, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(years, month_index + 1, min(day.day, calendar.monthrange(years, month_index + 1)[1]))


_EVALUATORS: dict[str, Callable[[Criterion, Rule, SchoolFacts], Result]] = {
    "attestation": _attestation,
    "round_finalised": _round_finalised,
    "menu_card": _menu_card,
    "plan_actions": _plan_actions,
    "plan_goals": _plan_goals,
    "priorities_covered": _priorities_covered,
    "evaluated": _evaluated,
}
