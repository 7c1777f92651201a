"""What the phase and the vignet rules need to know about one school, as plain values.

``wellbeing.progress.gather`` reads it from the database once; ``wellbeing.progress.phase`` and
``wellbeing.vignet.rules`` are pure functions over it, so they run and test without a request or a database.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from wellbeing.schoolyear import SchoolYear

ACTION_STATUSES = ("planned", "in_progress", "done", "stopped")
RECOGNITION_LEVELS = ("well-founded", "first-evidence", "good-evidence", "strong-evidence")


@dataclass(frozen=True)
class MenuFact:
    activity_id: str | None        # None for an activity the school added itself
    pillar: str
    status: str | None             # doing / want / interested / declined, or None when not marked
    intervention_id: str | None = None
    intervention_level: str | None = None  # one of RECOGNITION_LEVELS when linked to an intervention


@dataclass(frozen=True)
class GoalFact:
    id: int
    complete: bool                 # what, how measured, target and school year are all filled in
    element_id: str | None
    item_id: str | None            # the checklist statement (priority) the goal answers
    has_action: bool


@dataclass(frozen=True)
class ActionFact:
    pillar: str
    school_year: SchoolYear
    status: str                    # one of ACTION_STATUSES
    has_evaluation: bool
    goal_id: int | None = None
    activity_id: str | None = None
    intervention_id: str | None = None
    intervention_level: str | None = None


@dataclass(frozen=True)
class SchoolFacts:
    school_type: str               # po / vo / so / mbo
    today: date
    rounds: int = 0                # checklist rounds of any status
    last_finalised: date | None = None     # day the most recent round was finalised
    high_priorities: tuple[str, ...] = ()  # statement ids marked high in the most recent round
    working_group: bool = False    # the school recorded who coordinates and who is in the working group
    menu: tuple[MenuFact, ...] = ()
    goals: tuple[GoalFact, ...] = ()
    actions: tuple[ActionFact, ...] = ()
    attested: Mapping[str, date] = field(default_factory=dict)  # criterion id -> day the coordinator attested it

    @property
    def school_year(self) -> SchoolYear:
        return SchoolYear.containing(self.today)

    def doing(self, pillar: str | None = None) -> tuple[MenuFact, ...]:
        return tuple(m for m in self.menu if m.status == "doing" and (pillar is None or m.pillar == pillar))

    def uncovered_priorities(self) -> tuple[str, ...]:
        """High-priority statements without a goal that has at least one action."""
        return uncovered(self.high_priorities, self.goals)


def uncovered(high_priorities: Iterable[str], goals: Iterable[GoalFact]) -> tuple[str, ...]:
    """The statements among ``high_priorities`` that no goal with at least one action answers (the
    plan page lists them; the vignet rules and the GSA's triage count them)."""
    covered = {g.item_id for g in goals if g.item_id and g.has_action}
    return tuple(item for item in high_priorities if item not in covered)
