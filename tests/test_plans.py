"""The multi-year plan: goals from priorities, actions per pillar and year, carry-over, warnings."""
from __future__ import annotations

import re

from sqlalchemy import select

from tests import factories
from tests.conftest import csrf_token
from tests.school_content import coordinator_client
from wellbeing import db
from wellbeing.plans import service
from wellbeing.plans.models import Action, ActionStatus, Goal, Plan
from wellbeing.rounds.models import Consensus, Priority, Round, RoundMode, RoundStatus
from wellbeing.schoolyear import SchoolYear
from wellbeing.tenancy.models import School

CURRENT = SchoolYear.current()


def _round_with_priority(app, school_id: int, item_id: str = "climate.safe", priority=Priority.HIGH) -> None:
    with app.app_context():
        round_ = Round(school_id=school_id, school_year=str(CURRENT - 1), instrument_id="checklist-welbevinden",
                       instrument_version=1, mode=RoundMode.MEETING, status=RoundStatus.FINALISED)
        db.session.add(round_)
        db.session.flush()
        db.session.add(Consensus(round_id=round_.id, item_id=item_id, agreed_score=2, priority=priority,
                                 rationale=""))
        db.session.commit()


def _first_item(app) -> str:
    checklist = app.extensions["wellbeing.instruments"].latest("checklist-welbevinden")
    return next(i.id for e in checklist.elements_for("po") for i in e.items_for("po"))


def _action(client, school_id, **fields):
    url = f"/school/{school_id}/plan/actions/new"
    data = {"csrf_token": csrf_token(client, url), "title": "Action", "pillar": "educatie",
            "school_year": str(CURRENT), "period": "year", "status": "planned", **fields}
    return client.post(url, data=data)


def test_a_high_priority_without_action_is_warned_about_until_a_goal_with_an_action_covers_it(app):
    client, school_id = coordinator_client(app)
    item = _first_item(app)
    _round_with_priority(app, school_id, item)
    page = client.get(f"/school/{school_id}/plan").get_data(as_text=True)
    assert "High priorities without an action" in page
    goal_form = client.get(f"/school/{school_id}/plan/goals/new?item={item}").get_data(as_text=True)
    assert re.search(rf'<option selected value="{re.escape(item)}"|value="{re.escape(item)}" selected', goal_form)
    url = f"/school/{school_id}/plan/goals/new"
    saved = client.post(url, data={"csrf_token": csrf_token(client, url), "what": "Everyone feels safe",
                                   "measure": "checklist score", "target": "75", "target_year": str(CURRENT + 1),
                                   "item_id": item, "element_id": ""})
    assert saved.status_code == 302
    assert "High priorities without an action" in client.get(f"/school/{school_id}/plan").get_data(as_text=True)
    with app.app_context():
        goal_id = db.session.scalar(select(Goal.id).where(Goal.school_id == school_id))
    assert _action(client, school_id, goal_id=str(goal_id)).status_code == 302
    assert "High priorities without an action" not in client.get(f"/school/{school_id}/plan").get_data(as_text=True)


def test_a_goal_needs_a_description_and_keeps_what_was_typed(app):
    client, school_id = coordinator_client(app)
    url = f"/school/{school_id}/plan/goals/new"
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "what": "", "measure": "kept measure"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Describe the goal." in body and "kept measure" in body
    with app.app_context():
        assert db.session.scalar(select(Goal.id)) is None


def test_an_action_outside_the_plan_years_or_with_an_activity_of_another_pillar_is_refused(app):
    client, school_id = coordinator_client(app)
    outside = _action(client, school_id, school_year=str(CURRENT + 3))
    assert outside.status_code == 400 and "Not a valid choice" in outside.get_data(as_text=True)
    mismatch = _action(client, school_id, pillar="beleid", activity_id="educatie.sel-programme")
    assert mismatch.status_code == 400
    assert "belongs to another pillar" in mismatch.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Action.id)) is None


def test_unfinished_actions_carry_over_once_and_the_plan_grows_up_to_four_years(app, ctx):
    school = factories.school()
    db.session.add(Plan(school_id=school.id, first_year=str(CURRENT), years=1))
    for title, status in [("done", ActionStatus.DONE), ("planned", ActionStatus.PLANNED),
                          ("running", ActionStatus.IN_PROGRESS), ("stopped", ActionStatus.STOPPED)]:
        db.session.add(Action(school_id=school.id, pillar="educatie", title=title, school_year=str(CURRENT),
                              status=status))
    db.session.flush()
    copies = service.carry_over(school, CURRENT)
    assert sorted(c.title for c in copies) == ["planned", "running"]
    assert {c.school_year for c in copies} == {str(CURRENT + 1)}
    assert {c.title: c.status for c in copies}["running"] == ActionStatus.IN_PROGRESS
    assert service.plan_of(school).years == 2
    assert service.carry_over(school, CURRENT) == []  # nothing twice
    again = service.carry_over(school, CURRENT + 1)
    assert sorted(c.title for c in again) == ["planned", "running"] and service.plan_of(school).years == 3
    service.carry_over(school, CURRENT + 2)
    assert service.plan_of(school).years == 4
    try:
        service.carry_over(school, CURRENT + 3)
    except service.PlanError as exc:
        assert exc.code == "beyond-window"
    else:
        raise AssertionError("a fifth year must be refused")
    originals = db.session.scalars(select(Action).where(Action.school_year == str(CURRENT))).all()
    assert {a.title: a.status for a in originals}["planned"] == ActionStatus.PLANNED  # history kept


def test_carry_over_through_the_agenda_page(app):
    client, school_id = coordinator_client(app)
    assert _action(client, school_id, title="Teach resilience", status="in_progress").status_code == 302
    agenda = f"/school/{school_id}/plan/agenda/{CURRENT}"
    page = client.get(agenda).get_data(as_text=True)
    assert "Teach resilience" in page and "1 action is not finished." in page
    moved = client.post(f"{agenda}/carry-over", data={"csrf_token": csrf_token(client, agenda)})
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"/agenda/{CURRENT + 1}")
    next_page = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "Teach resilience" in next_page and "carried over" in next_page
    assert "not finished" not in client.get(agenda).get_data(as_text=True)


def test_the_agenda_covers_the_plans_years_and_no_others(app):
    """Year navigation ends at the plan's window: no agenda for 1981 or for after the plan."""
    client, school_id = coordinator_client(app)
    _action(client, school_id, title="Start", status="planned")
    base = f"/school/{school_id}/plan/agenda"
    page = client.get(f"{base}/{CURRENT}").get_data(as_text=True)
    assert f"{base}/{CURRENT + 1}" in page and f"{base}/{CURRENT - 1}" not in page
    assert f"{base}/{CURRENT + 2}" not in page
    for year in (CURRENT - 1, CURRENT + 2, "1981-1982", "2037-2038"):
        assert client.get(f"{base}/{year}").status_code == 404, year


def test_the_window_cannot_shrink_past_existing_actions(app):
    client, school_id = coordinator_client(app)
    _action(client, school_id, school_year=str(CURRENT + 1))
    url = f"/school/{school_id}/plan"
    response = client.post(f"{url}/settings", data={"csrf_token": csrf_token(client, url),
                                                    "first_year": str(CURRENT), "years": "1",
                                                    "coordinator": "Ilse", "working_group": "Team"})
    assert response.status_code == 400 and "fall outside these school years" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Plan.years).where(Plan.school_id == school_id)) == 2


def test_another_schools_goal_cannot_be_reached_through_ones_own_school(app):
    client, school_id = coordinator_client(app)
    with app.app_context():
        other = factories.school()
        goal = Goal(school_id=other.id, what="OTHER-GOAL")
        db.session.add(goal)
        db.session.commit()
        goal_id = goal.id
    assert client.get(f"/school/{school_id}/plan/goals/{goal_id}").status_code == 404
    linked = _action(client, school_id, goal_id=str(goal_id))
    assert linked.status_code == 400  # not among the choices
    with app.app_context():
        assert db.session.get(School, school_id) is not None
        assert db.session.scalar(select(Action.id)) is None


def test_removing_a_goal_keeps_its_actions_in_the_plan(app):
    client, school_id = coordinator_client(app)
    url = f"/school/{school_id}/plan/goals/new"
    client.post(url, data={"csrf_token": csrf_token(client, url), "what": "Fewer conflicts"})
    with app.app_context():
        goal_id = db.session.scalar(select(Goal.id))
    assert _action(client, school_id, goal_id=str(goal_id), title="Peer mediation").status_code == 302
    plan = f"/school/{school_id}/plan"
    removed = client.post(f"{plan}/goals/{goal_id}/delete", data={"csrf_token": csrf_token(client, plan)})
    assert removed.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Goal.id)) is None
        action = db.session.scalar(select(Action))
        assert action.title == "Peer mediation" and action.goal_id is None
