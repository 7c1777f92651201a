"""The summary rows ``wellbeing.summaries.refresh.refresh_school`` would write, computed from the
generated data in memory with the same pure functions (phase, vignet rules, scoring), so a national
instance gets its summaries without 8,000 round trips per table. ``tests/test_bench_data.py``
checks a sample against ``refresh_school``.
"""
from __future__ import annotations

from datetime import date, datetime

from wellbeing import phase as phases
from benchdata.instruments import Instruments
from benchdata.school import SchoolData
from wellbeing.facts import ActionFact, GoalFact, MenuFact, SchoolFacts
from wellbeing.plans.models import Period
from wellbeing.rounds import scoring
from wellbeing.schoolyear import SchoolYear
from wellbeing.summaries.refresh import period_end
from wellbeing.vignet import rules
from wellbeing.pillars import PILLARS

LEVELS = ("universal", "selective", "indicated")


def facts(data: SchoolData, instruments: Instruments, today: date) -> SchoolFacts:
    finalised = [r.finalised_at.date() for r in data.rounds if r.status == "finalised" and r.finalised_at]
    with_priorities = [r for r in data.rounds if r.has_priorities]
    source = max(with_priorities, key=lambda r: r.school_year) if with_priorities else None
    with_action = {a[4] for a in data.actions if a[4]}
    return SchoolFacts(
        school_type=data.spec.school_type, today=today, rounds=len(data.rounds),
        last_finalised=max(finalised) if finalised else None, high_priorities=source.high if source else (),
        working_group=data.working_group,
        menu=tuple(MenuFact(activity, pillar, status, iv, instruments.recognition.get(iv) if iv else None)
                   for activity, pillar, status, iv in data.menu),
        goals=tuple(GoalFact(goal_id, complete, element, item, goal_id in with_action)
                    for goal_id, complete, element, item in data.goals),
        attested=dict(data.attested),
        actions=tuple(ActionFact(pillar, SchoolYear.parse(year), status, evaluated, goal, activity, iv,
                                 instruments.recognition.get(iv) if iv else None)
                      for pillar, year, status, evaluated, goal, activity, iv, _ in data.actions))


def school_rows(data: SchoolData, instruments: Instruments, today: date, min_respondents: int,
                refreshed: datetime) -> dict[str, list[tuple]]:
    """Rows for summary_school, summary_round, summary_element and summary_priority."""
    spec = data.spec
    known = facts(data, instruments, today)
    criteria = instruments.criteria[spec.school_type]
    results = rules.evaluate_all(criteria, known) if criteria is not None else ()
    current = phases.phase(known)
    latest = data.rounds[-1] if data.rounds else None
    year = str(SchoolYear.containing(today))
    levels = {iv and instruments.prevention.get(iv) for _, _, status, iv in data.menu if status == "doing"}
    levels |= {a[6] and instruments.prevention.get(a[6]) for a in data.actions if a[2] != "stopped"}
    doing = {pillar for _, pillar, status, _ in data.menu if status == "doing"}
    moments = [m for m in [data.last_audit, *(r.last_submitted for r in data.rounds)] if m is not None]
    overdue = sum(1 for a in data.actions if a[2] in ("planned", "in_progress")
                  and period_end(SchoolYear.parse(a[1]), Period(a[7])) < today)
    status = (spec.id, spec.region_id, spec.municipality_id, spec.school_type, current.number, current.complete,
              sum(1 for r in results if r.status == rules.MET), len(results), data.certificate_expires,
              max(moments) if moments else None,
              latest.school_year if latest else None, latest.status if latest else None,
              latest.opened_at if latest else None, latest.invited if latest else 0,
              latest.submitted if latest else 0,
              any(r.school_year == year and r.status == "finalised" for r in data.rounds),
              len(known.uncovered_priorities()), overdue,
              *(p in doing for p in PILLARS), *(v in levels for v in LEVELS), refreshed)
    rows: dict[str, list[tuple]] = {"summary_school": [status], "summary_round": [], "summary_element": [],
                                    "summary_priority": []}
    for round_ in data.rounds:
        if round_.status != "finalised":
            continue
        shown = round_.mode == "meeting" or scoring.enough(round_.submitted, min_respondents)
        scores = round_.scores if shown else {}
        scored = bool(scores) and all(score is not None for score in scores.values())
        rows["summary_round"].append((round_.id, spec.id, spec.region_id, spec.municipality_id, spec.school_type,
                                      round_.school_year, scored))
        if scored:
            rows["summary_element"] += [(round_.id, element, score) for element, score in scores.items()]
        rows["summary_priority"] += [(round_.id, item) for item in round_.high]
    return rows
