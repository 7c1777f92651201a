"""The school's step in the Gezonde School approach, derived from its data, with the next thing to do.

A pure function over ``SchoolFacts``: the phase is the first of the six steps that is not done yet.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from wellbeing.progress.facts import SchoolFacts
from wellbeing.pillars import PILLARS

STEPS = {
    1: (_l("Starting situation"), _l("Run the checklist with the team and finalise the round, and mark on the "
                                     "menu card what the school already does.")),
    2: (_l("Coordinator and working group"), _l("Record who coordinates and who is in the working group, in the "
                                                 "plan's “Years and team”.")),
    3: (_l("Goals"), _l("Turn the team's priorities into goals: what, how you measure it, the target and by when.")),
    4: (_l("Plan per pillar"), _l("Plan at least one action in every pillar for this school year or later.")),
    5: (_l("Carry out and monitor"), _l("Carry out the actions and keep their status up to date; finish at least "
                                        "one.")),
    6: (_l("Evaluate and look ahead"), _l("Write down what the finished actions brought, run the checklist again, "
                                          "and check whether the school is ready for the vignet.")),
}


@dataclass(frozen=True)
class Phase:
    number: int          # 1–6; 6 with ``complete`` when every step is done
    complete: bool

    @property
    def title(self) -> str:
        return str(STEPS[self.number][0])

    @property
    def next_step(self) -> str:
        if self.complete:
            return str(_l("Every step is done. Apply for the vignet or its renewal, and start the next cycle."))
        return str(STEPS[self.number][1])


def steps_done(facts: SchoolFacts) -> dict[int, bool]:
    current = facts.school_year
    done_actions = [a for a in facts.actions if a.status == "done"]
    recent_round = facts.last_finalised is not None and facts.today - facts.last_finalised <= timedelta(days=366)
    return {
        1: facts.last_finalised is not None and any(m.status is not None for m in facts.menu),
        2: facts.working_group,
        3: any(g.complete for g in facts.goals),
        4: all(any(a.pillar == p and a.school_year >= current and a.status != "stopped" for a in facts.actions)
               or any(a.pillar == p and a.status == "done" for a in facts.actions) for p in PILLARS),
        5: bool(done_actions),
        6: bool(done_actions) and all(a.has_evaluation for a in done_actions) and recent_round,
    }


def stepper(facts: SchoolFacts) -> dict[int, bool]:
    """Which steps the six-step indicator ticks: every step before the current one (all six once the
    cycle is complete). A later step whose data happens to exist is not ticked, so the indicator
    never disagrees with "step n of 6" beside it."""
    current = phase(facts)
    return {n: current.complete or n < current.number for n in STEPS}


def phase(facts: SchoolFacts) -> Phase:
    done = steps_done(facts)
    for number in range(1, 7):
        if not done[number]:
            return Phase(number, False)
    return Phase(6, True)
