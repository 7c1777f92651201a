"""The summary rows ``wellbeing.summaries.refresh.refresh_school`` would write, computed from the
generated data in memory with the same pure functions (``wellbeing.progress.status``,
``wellbeing.summaries.rows``, the vignet rules, scoring), so a national
instance gets its summaries without 8,000 round trips per table. ``tests/test_bench_data.py``
checks a sample against ``refresh_school``.
"""
from __future__ import annotations

from datetime import date, datetime

from benchdata.instruments import Instruments
from benchdata.school import SchoolData
from benchdata.writer import COLUMNS
from wellbeing.progress import status
from wellbeing.progress.facts import ActionFact, GoalFact, MenuFact, SchoolFacts
from wellbeing.rounds import scoring
from wellbeing.schoolyear import SchoolYear
from wellbeing.summaries.rows import round_rows
from wellbeing.vignet import rules


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
    """Rows for summary_school, summary_round, summary_element and summary_priority, in the columns
    of ``benchdata.writer.COLUMNS``."""
    spec = data.spec
    known = facts(data, instruments, today)
    criteria = instruments.criteria[spec.school_type]
    latest = data.rounds[-1] if data.rounds else None
    year = str(SchoolYear.containing(today))
    moments = [m for m in [data.last_audit, *(r.last_submitted for r in data.rounds)] if m is not None]
    values = {table: [] for table in ("summary_school", "summary_round", "summary_element", "summary_priority")}
    values["summary_school"].append(status.status_row(
        known, school_id=spec.id, region_id=spec.region_id, municipality_id=spec.municipality_id,
        results=rules.evaluate_all(criteria, known) if criteria is not None else (),
        certificate_expires=data.certificate_expires, last_activity=max(moments) if moments else None,
        latest=status.LatestRound(latest.school_year, latest.status, latest.opened_at, latest.invited,
                                  latest.submitted) if latest else None,
        finalised_this_year=any(r.school_year == year and r.status == "finalised" for r in data.rounds),
        overdue_actions=status.overdue(((a[1], a[7]) for a in data.actions if a[2] in ("planned", "in_progress")),
                                       today),
        prevention=instruments.prevention.get, refreshed_at=refreshed))
    for round_ in data.rounds:
        if round_.status != "finalised":
            continue
        shown = round_.mode == "meeting" or scoring.enough(round_.submitted, min_respondents)
        made = round_rows(round_id=round_.id, school_id=spec.id, region_id=spec.region_id,
                          municipality_id=spec.municipality_id, school_type=spec.school_type,
                          school_year=round_.school_year, scores=round_.scores if shown else {}, high=round_.high)
        for table, rows in made.items():
            values[table] += rows
    return {table: [tuple(row[column] for column in COLUMNS[table]) for row in rows] for table, rows in values.items()}
