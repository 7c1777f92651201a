"""The Gezonde School step is derived from the school's data: the first step not yet done."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from wellbeing.progress.facts import ActionFact, GoalFact, MenuFact, SchoolFacts
from wellbeing.pillars import PILLARS
from wellbeing.progress.phase import phase, stepper, steps_done
from wellbeing.schoolyear import SchoolYear

TODAY = date(2026, 11, 23)
YEAR = SchoolYear.containing(TODAY)


def _complete() -> SchoolFacts:
    actions = tuple(ActionFact(p, YEAR, "planned", False) for p in PILLARS) + (
        ActionFact("educatie", YEAR - 1, "done", True),)
    return SchoolFacts(school_type="po", today=TODAY, rounds=2, last_finalised=TODAY - timedelta(days=30),
                       working_group=True, menu=(MenuFact("educatie.sel-programme", "educatie", "doing"),),
                       goals=(GoalFact(1, True, None, None, True),), actions=actions)


def test_a_school_without_data_is_at_the_starting_situation():
    result = phase(SchoolFacts(school_type="po", today=TODAY))
    assert result.number == 1 and not result.complete
    assert "checklist" in result.next_step


def test_a_school_with_everything_has_done_every_step():
    result = phase(_complete())
    assert result.complete and result.number == 6 and all(steps_done(_complete()).values())


@pytest.mark.parametrize("change, expected", [
    (dict(last_finalised=None), 1),
    (dict(menu=()), 1),
    (dict(working_group=False), 2),
    (dict(goals=(GoalFact(1, False, None, None, True),)), 3),
    (dict(actions=tuple(ActionFact(p, YEAR, "planned", False) for p in PILLARS[:3])), 4),
    (dict(actions=tuple(ActionFact(p, YEAR, "planned", False) for p in PILLARS)), 5),
    (dict(actions=tuple(ActionFact(p, YEAR, "done", p != "beleid") for p in PILLARS)), 6),
    (dict(last_finalised=TODAY - timedelta(days=400)), 6),
])
def test_taking_one_piece_away_puts_the_school_back_at_that_step(change, expected):
    result = phase(replace(_complete(), **change))
    assert (result.number, result.complete) == (expected, False)


def test_an_action_planned_only_for_last_year_does_not_count_as_planned():
    facts = replace(_complete(), actions=tuple(ActionFact(p, YEAR - 1, "planned", False) for p in PILLARS))
    assert phase(facts).number == 4


def test_the_indicator_ticks_only_the_steps_before_the_current_one():
    """A school at step 4 that already finished an action shows step 5 unticked, like "step 4 of 6"."""
    facts = replace(_complete(), actions=tuple(ActionFact(p, YEAR, "done", True) for p in PILLARS[:3]))
    assert steps_done(facts)[5] and phase(facts).number == 4
    assert stepper(facts) == {1: True, 2: True, 3: True, 4: False, 5: False, 6: False}
    assert all(stepper(_complete()).values())
