"""The multi-year plan: window and team, goals from priorities, actions per pillar, the annual agenda."""
from __future__ import annotations

from collections import Counter

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from wellbeing import access, audit, db
from wellbeing.instruments.registry import registry
from wellbeing.labels import locale_code
from wellbeing.menucard.service import menu_card
from wellbeing.pillars import PILLARS
from wellbeing.plans import service
from wellbeing.plans.forms import ActionForm, GoalForm, PlanForm
from wellbeing.plans.models import Action, ActionStatus, Goal, Period
from wellbeing.plans.service import PlanError
from wellbeing.rounds import service as rounds
from wellbeing.schoolyear import SchoolYear

bp = Blueprint("plans", __name__, url_prefix="/school/<int:school_id>/plan")


def _changed(school, detail: str = "") -> None:
    audit.record("plan.changed", actor=current_user, school_id=school.id, detail=detail)


@bp.route("")
@login_required
def index(school_id: int):
    school = access.get_school(current_user, school_id)
    plan = service.plan_of(school)
    form = PlanForm(obj=plan)
    _plan_choices(form, plan)
    return _overview(school, plan, form)


def _overview(school, plan, form, status: int = 200):
    years = plan.school_years() if plan else [SchoolYear.current(), SchoolYear.current() + 1]
    all_actions = service.actions(school)
    return render_template(
        "plans/index.html", school=school, plan=plan, form=form, years=years, goals=service.goals(school),
        actions_by_year={str(y): [a for a in all_actions if a.school_year == str(y)] for y in years},
        action_counts=Counter(a.goal_id for a in all_actions if a.goal_id),
        uncovered=service.uncovered(school), priorities=service.priorities(school),
        card=menu_card(), school_type=school.school_type.value,
        can_edit=access.can_edit_school(current_user, school)), status


def _plan_choices(form: PlanForm, plan) -> None:
    current = SchoolYear.current()
    options = [str(current + n) for n in range(-3, 2)]
    if plan and plan.first_year not in options:
        options.insert(0, plan.first_year)
    form.first_year.choices = [(y, y) for y in options]
    if plan is None and not form.is_submitted():
        form.first_year.data, form.years.data = str(current), "2"
    elif plan is not None and not form.is_submitted():
        form.years.data = str(plan.years)


@bp.route("/settings", methods=["POST"])
@login_required
def settings(school_id: int):
    school = access.get_school_to_edit(current_user, school_id)
    plan = service.ensure_plan(school)
    form = PlanForm()
    _plan_choices(form, plan)
    if form.validate_on_submit():
        try:
            service.set_window(plan, SchoolYear.parse(form.first_year.data), int(form.years.data))
        except PlanError:
            form.years.errors.append(_("Some actions fall outside these school years. Move or remove them first."))
        else:
            plan.coordinator = (form.coordinator.data or "").strip()
            plan.working_group = (form.working_group.data or "").strip()
            _changed(school, "settings")
            db.session.commit()
            flash(_("The plan's years and team are saved."), "success")
            return redirect(url_for("plans.index", school_id=school.id))
    db.session.rollback()
    return _overview(school, service.plan_of(school), form, 400)


def _editing(school_id: int, get, object_id: int | None):
    """(school, the goal or action or None for a new one, plan) for a form page. Reading an existing
    one needs content access; saving, or opening the form for a new one, needs to be the school's
    coordinator (403 otherwise). A child of another school is a 404."""
    posting = request.method == "POST"
    editing = posting or object_id is None
    school = (access.get_school_to_edit if editing else access.get_school)(current_user, school_id)
    obj = None
    if object_id is not None:
        obj = get(school, object_id)
        if obj is None:
            abort(404)
    return school, obj, service.ensure_plan(school) if posting else service.plan_or_default(school)


# Goals ---------------------------------------------------------------------------------------------

def _goal_choices(form: GoalForm, school, plan) -> None:
    lc = locale_code()
    checklist = registry().latest(rounds.CHECKLIST_ID)
    form.target_year.choices = [("", _("Not yet chosen"))] + [(str(y), str(y)) for y in plan.school_years()]
    form.element_id.choices = [("", _("None"))] + [(e.id, e.title[lc]) for e in
                                                     checklist.elements_for(school.school_type.value)]
    form.item_id.choices = [("", _("None"))] + [
        (p.item_id, f"{p.text[lc]} ({_('high') if p.priority.value == 'high' else _('medium')})")
        for p in service.priorities(school)]


def _goal_page(school, plan, form, goal=None, status: int = 200):
    return render_template("plans/goal.html", school=school, plan=plan, form=form, goal=goal,
                           can_edit=access.can_edit_school(current_user, school)), status


@bp.route("/goals/new", methods=["GET", "POST"])
@bp.route("/goals/<int:goal_id>", methods=["GET", "POST"])
@login_required
def goal(school_id: int, goal_id: int | None = None):
    school, goal, plan = _editing(school_id, service.get_goal, goal_id)
    form = GoalForm(obj=goal)
    _goal_choices(form, school, plan)
    if goal is None and not form.is_submitted():
        item = request.args.get("item", "")
        chosen = next((p for p in service.priorities(school) if p.item_id == item), None)
        if chosen is not None:
            form.item_id.data, form.element_id.data = chosen.item_id, chosen.element_id
            form.what.data = chosen.text[locale_code()]
    if form.validate_on_submit():
        goal = goal or Goal(school_id=school.id)
        goal.what, goal.measure, goal.target = form.what.data.strip(), (form.measure.data or "").strip(), \
            (form.target.data or "").strip()
        goal.target_year = form.target_year.data or None
        goal.element_id, goal.item_id = form.element_id.data or None, form.item_id.data or None
        db.session.add(goal)
        _changed(school, "goal")
        db.session.commit()
        flash(_("The goal is saved."), "success")
        return redirect(url_for("plans.index", school_id=school.id, _anchor="goals"))
    return _goal_page(school, plan, form, goal, 400 if form.errors else 200)


@bp.route("/goals/<int:goal_id>/delete", methods=["POST"])
@login_required
def delete_goal(school_id: int, goal_id: int):
    school = access.get_school_to_edit(current_user, school_id)
    goal = service.get_goal(school, goal_id)
    if goal is None:
        abort(404)
    db.session.delete(goal)
    _changed(school, "goal removed")
    db.session.commit()
    flash(_("The goal is removed; its actions stay in the plan without a goal."), "success")
    return redirect(url_for("plans.index", school_id=school.id, _anchor="goals"))


# Actions -------------------------------------------------------------------------------------------

def _action_choices(form: ActionForm, school, plan) -> None:
    lc, school_type = locale_code(), school.school_type.value
    card = menu_card()
    form.pillar.choices = [(p, card.pillar_label(p, school_type, lc)) for p in PILLARS]
    form.goal_id.choices = [("", _("No goal"))] + [(str(g.id), g.what[:120]) for g in service.goals(school)]
    form.activity_id.choices = [("", _("None"))] + [
        (a.id, f"{card.pillar_label(p, school_type, lc)}: {a.text[lc]}")
        for p in PILLARS for a in card.activities_for(p, school_type)]
    interventions = [i for c in registry().of_kind("interventions") for i in c.for_school_type(school_type)]
    form.intervention_id.choices = [("", _("None"))] + [(i.id, i.name) for i in interventions]
    form.school_year.choices = [(str(y), str(y)) for y in plan.school_years()]


def _check_links(form: ActionForm) -> bool:
    activity = menu_card().activities().get(form.activity_id.data or "")
    if activity is not None and activity.pillar != form.pillar.data:
        form.activity_id.errors.append(_("This activity belongs to another pillar than the action."))
        return False
    return True


@bp.route("/actions/new", methods=["GET", "POST"])
@bp.route("/actions/<int:action_id>", methods=["GET", "POST"])
@login_required
def action(school_id: int, action_id: int | None = None):
    school, action, plan = _editing(school_id, service.get_action, action_id)
    form = ActionForm(obj=action)
    _action_choices(form, school, plan)
    if action is None and not form.is_submitted():
        form.goal_id.data = request.args.get("goal", "")
        if request.args.get("year") in dict(form.school_year.choices):
            form.school_year.data = request.args["year"]
        if request.args.get("pillar") in PILLARS:
            form.pillar.data = request.args["pillar"]
    elif action is not None and not form.is_submitted():
        form.goal_id.data = str(action.goal_id or "")
        form.period.data, form.status.data = action.period.value, action.status.value
    if form.validate_on_submit() and _check_links(form):
        action = action or Action(school_id=school.id)
        action.title, action.pillar = form.title.data.strip(), form.pillar.data
        goal = service.get_goal(school, int(form.goal_id.data)) if form.goal_id.data else None
        action.goal_id = goal.id if goal else None
        action.activity_id = form.activity_id.data or None
        action.intervention_id = form.intervention_id.data or None
        action.owner = (form.owner.data or "").strip()
        action.school_year, action.period = form.school_year.data, Period(form.period.data)
        action.status, action.evaluation = ActionStatus(form.status.data), (form.evaluation.data or "").strip()
        db.session.add(action)
        _changed(school, "action")
        db.session.commit()
        flash(_("The action is saved."), "success")
        return redirect(url_for("plans.agenda", school_id=school.id, year=action.school_year))
    return render_template("plans/action.html", school=school, plan=plan, form=form, action=action,
                           can_edit=access.can_edit_school(current_user, school)), 400 if form.errors else 200


@bp.route("/actions/<int:action_id>/delete", methods=["POST"])
@login_required
def delete_action(school_id: int, action_id: int):
    school = access.get_school_to_edit(current_user, school_id)
    action = service.get_action(school, action_id)
    if action is None:
        abort(404)
    year = action.school_year
    db.session.delete(action)
    _changed(school, "action removed")
    db.session.commit()
    flash(_("The action is removed."), "success")
    return redirect(url_for("plans.agenda", school_id=school.id, year=year))


# Agenda --------------------------------------------------------------------------------------------

def _year(text: str) -> SchoolYear:
    try:
        return SchoolYear.parse(text)
    except ValueError:
        abort(404)


def _agenda_years(school) -> list[SchoolYear]:
    """The years an agenda exists for: the plan's window, plus any year that still holds actions
    (a window moved later keeps its old actions readable). Nothing before or after."""
    years = set(service.plan_or_default(school).school_years())
    years.update(SchoolYear.parse(a.school_year) for a in service.actions(school))
    return sorted(years)


@bp.route("/agenda/<year>")
@login_required
def agenda(school_id: int, year: str):
    school = access.get_school(current_user, school_id)
    school_year = _year(year)
    years = _agenda_years(school)
    if school_year not in years:
        abort(404)
    plan = service.plan_of(school)
    by_period = service.agenda(school, school_year)
    carried = service.carried_ids(school)
    unfinished = [a for items in by_period.values() for a in items if a.status.unfinished and a.id not in carried]
    return render_template("plans/agenda.html", school=school, plan=plan, year=school_year, years=years,
                           by_period=by_period,
                           unfinished=unfinished, card=menu_card(), school_type=school.school_type.value,
                           can_edit=access.can_edit_school(current_user, school))


@bp.route("/agenda/<year>/carry-over", methods=["POST"])
@login_required
def carry_over(school_id: int, year: str):
    school = access.get_school_to_edit(current_user, school_id)
    school_year = _year(year)
    try:
        copies = service.carry_over(school, school_year)
    except PlanError as exc:
        db.session.rollback()
        flash(_("%(year)s lies beyond the four school years a plan can cover. Move the plan's window first.",
                year=exc.detail["year"]), "error")
        return redirect(url_for("plans.agenda", school_id=school.id, year=year))
    audit.record("plan.carried_over", actor=current_user, school_id=school.id,
                 detail=f"{len(copies)} {school_year}→{school_year + 1}")
    db.session.commit()
    flash(ngettext("%(num)d unfinished action was carried over to %(year)s.",
                   "%(num)d unfinished actions were carried over to %(year)s.", len(copies), year=str(school_year + 1)),
          "success")
    return redirect(url_for("plans.agenda", school_id=school.id, year=str(school_year + 1)))
