"""The school's own data as tables: rounds' team aggregates, menu card and plan, for CSV and XLSX."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from wellbeing.instruments.registry import registry
from wellbeing.menucard import service as menucard
from wellbeing.plans import service as plans
from wellbeing.rounds import service as rounds
from wellbeing.tenancy.models import School

Table = list[list[object]]
PARTS = ("rounds", "menu-card", "plan")


def rounds_table(school: School, lc: str) -> Table:
    """Element scores per round. Team scores only where the round reached the anonymity threshold."""
    minimum = current_app.extensions["wellbeing.settings"].min_respondents
    checklist = registry().latest(rounds.CHECKLIST_ID)
    rows: Table = [["school_year", "status", "respondents", "element_id", "element", "team_score", "agreed_score"]]
    for column in rounds.years_overview(school, minimum):
        picture = rounds.team_picture(column.round, minimum)
        for element in checklist.elements_for(school.school_type.value):
            rows.append([column.round.school_year, column.round.status.value,
                         picture.respondents if picture.shown else None, element.id, element.title[lc],
                         column.team.get(element.id), column.agreed.get(element.id)])
    return rows


def menu_table(school: School, lc: str) -> Table:
    card = menucard.menu_card()
    activities = card.activities()
    rows: Table = [["pillar", "activity_id", "activity", "own", "status", "since", "grades", "intervention", "note"]]
    for entry in menucard.entries(school):
        activity = activities.get(entry.activity_id) if entry.activity_id else None
        rows.append([entry.pillar, entry.activity_id or "", activity.text[lc] if activity else entry.title,
                     entry.own, entry.status.value if entry.status else "", entry.since_year or "", entry.grades,
                     entry.intervention_id or "", entry.note])
    return rows


def plan_table(school: School, lc: str) -> Table:
    goals = {g.id: g for g in plans.goals(school)}
    rows: Table = [["kind", "school_year", "period", "pillar", "title", "goal", "measure", "target", "owner",
                    "status", "activity_id", "intervention_id", "evaluation"]]
    for goal in goals.values():
        rows.append(["goal", goal.target_year or "", "", "", goal.what, "", goal.measure, goal.target, "", "",
                     "", "", ""])
    for action in plans.actions(school):
        goal = goals.get(action.goal_id)
        rows.append(["action", action.school_year, action.period.value, action.pillar, action.title,
                     goal.what if goal else "", "", "", action.owner, action.status.value,
                     action.activity_id or "", action.intervention_id or "", action.evaluation])
    return rows


def tables(school: School, lc: str) -> dict[str, Table]:
    return {"rounds": rounds_table(school, lc), "menu-card": menu_table(school, lc), "plan": plan_table(school, lc)}


def sheet_names() -> dict[str, str]:
    return {"rounds": _("Rounds"), "menu-card": _("Menu card"), "plan": _("Plan")}
