"""The school's own data as tables: rounds' team aggregates, menu card and plan, for CSV and XLSX.

Headers and values are in the reader's language (labels, not codes); ids stay beside the text so a
file can still be matched to the instrument."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from wellbeing.instruments.registry import registry
from wellbeing.labels import action_status_label, period_label, round_status_label
from wellbeing.menucard import service as menucard
from wellbeing.plans import service as plans
from wellbeing.rounds import service as rounds
from wellbeing.tenancy.models import School

Table = list[list[object]]
PARTS = ("rounds", "menu-card", "plan")


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def rounds_table(school: School, lc: str) -> Table:
    """Element scores per round. Team scores only where the round reached the anonymity threshold;
    the agreed score counts only the statements the team agreed on, and the row says how many were
    not discussed."""
    minimum = current_app.extensions["wellbeing.settings"].min_respondents
    checklist = registry().latest(rounds.CHECKLIST_ID)
    school_type = school.school_type.value
    rows: Table = [[_("School year"), _("Status"), _("Respondents"), _("Element id"), _("Element"),
                    _("Team score"), _("Agreed score"), _("Statements agreed"), _("Statements not discussed")]]
    for column in rounds.years_overview(school, minimum):
        picture = rounds.team_picture(column.round, minimum)
        agreed = rounds.agreements(column.round)
        for element in checklist.elements_for(school_type):
            items = [i.id for i in element.items_for(school_type)]
            done = sum(1 for i in items if i in agreed)
            rows.append([column.round.school_year, round_status_label(column.round.status),
                         picture.respondents if picture.shown else None, element.id, element.title[lc],
                         column.team.get(element.id), column.agreed.get(element.id), done, len(items) - done])
    return rows


def _intervention_names() -> dict[str, str]:
    return {i.id: i.name for c in registry().of_kind("interventions") for i in c.items}


def menu_table(school: School, lc: str) -> Table:
    card = menucard.menu_card()
    activities = card.activities()
    school_type = school.school_type.value
    interventions = _intervention_names()
    rows: Table = [[_("Pillar"), _("Activity id"), _("Activity"), _("Own activity"), _("Status"), _("Doing since"),
                    _("For which grades or years"), _("Recognised intervention"), _("Note")]]
    for entry in menucard.entries(school):
        activity = activities.get(entry.activity_id) if entry.activity_id else None
        rows.append([card.pillar_label(entry.pillar, school_type, lc), entry.activity_id or "",
                     activity.text[lc] if activity else entry.title, _yes_no(entry.own),
                     card.statuses[entry.status.value][lc] if entry.status else "", entry.since_year or "",
                     entry.grades, interventions.get(entry.intervention_id or "", entry.intervention_id or ""),
                     entry.note])
    return rows


def plan_table(school: School, lc: str) -> Table:
    card = menucard.menu_card()
    school_type = school.school_type.value
    interventions = _intervention_names()
    goals = {g.id: g for g in plans.goals(school)}
    rows: Table = [[_("Kind"), _("School year"), _("Period"), _("Pillar"), _("Title"), _("Goal"), _("Measure"),
                    _("Target"), _("Who"), _("Status"), _("Activity id"), _("Recognised intervention"),
                    _("Evaluation")]]
    for goal in goals.values():
        rows.append([_("Goal"), goal.target_year or "", "", "", goal.what, "", goal.measure, goal.target, "", "",
                     "", "", ""])
    for action in plans.actions(school):
        goal = goals.get(action.goal_id)
        rows.append([_("Action"), action.school_year, period_label(action.period),
                     card.pillar_label(action.pillar, school_type, lc), action.title, goal.what if goal else "",
                     "", "", action.owner, action_status_label(action.status), action.activity_id or "",
                     interventions.get(action.intervention_id or "", action.intervention_id or ""),
                     action.evaluation])
    return rows


def tables(school: School, lc: str) -> dict[str, Table]:
    return {"rounds": rounds_table(school, lc), "menu-card": menu_table(school, lc), "plan": plan_table(school, lc)}


def sheet_names() -> dict[str, str]:
    return {"rounds": _("Rounds"), "menu-card": _("Menu card"), "plan": _("Plan")}
