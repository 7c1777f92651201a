"""The menu card page: per pillar, what the school does, wants, is interested in or declines."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from wellbeing import access, audit, db
from wellbeing.instruments.registry import registry
from wellbeing.menucard import service
from wellbeing.menucard.models import MenuEntry
from wellbeing.menucard.service import EntryInput, MenuError
from wellbeing.schoolyear import SchoolYear
from wellbeing.pillars import PILLARS

bp = Blueprint("menucard", __name__, url_prefix="/school/<int:school_id>/menu-card")


def _messages() -> dict[str, str]:
    return {
        "unknown-status": _("Choose one of the statuses."),
        "bad-year": _("Choose a school year such as 2024-2025."),
        "future-year": _("\"Since\" cannot be a school year that has not started."),
        "unknown-intervention": _("Choose an intervention from the list."),
        "too-long": _("This text is too long."),
        "required": _("Give the activity a name."),
        "unknown-pillar": _("Choose a pillar."),
        "unknown-activity": _("This activity is not on the menu card for this school."),
    }


def _input(prefix: str) -> EntryInput:
    form = request.form
    return EntryInput(status=form.get(f"{prefix}status", ""), since_year=form.get(f"{prefix}since", ""),
                      grades=form.get(f"{prefix}grades", ""), note=form.get(f"{prefix}note", ""),
                      intervention_id=form.get(f"{prefix}intervention", ""))


def _page(school, errors: dict[str, str] | None = None, typed: dict[str, EntryInput] | None = None,
          status: int = 200):
    card = service.menu_card()
    school_type = school.school_type.value
    all_entries = service.entries(school)
    interventions = [i for collection in registry().of_kind("interventions") for i in collection.for_school_type(
        school_type)] if registry().of_kind("interventions") else []
    current = SchoolYear.current()
    return render_template(
        "menucard/index.html", school=school, card=card, school_type=school_type,
        entries={e.activity_id: e for e in all_entries if e.activity_id},
        own={p: [e for e in all_entries if e.own and e.pillar == p] for p in PILLARS},
        gaps=service.gaps(school, all_entries), errors=errors or {}, typed=typed or {},
        interventions={p: [i for i in interventions if i.pillar == p] for p in PILLARS},
        years=[str(current - n) for n in range(15)], pillars=PILLARS,
        can_edit=access.can_edit_school(current_user, school)), status


@bp.route("")
@login_required
def index(school_id: int):
    return _page(access.get_school(current_user, school_id))


@bp.route("", methods=["POST"])
@login_required
def save(school_id: int):
    """Save every activity on the page; a wrong field keeps its typed value and the rest is saved."""
    school = access.get_school_to_edit(current_user, school_id)
    messages = _messages()
    errors: dict[str, str] = {}
    typed: dict[str, EntryInput] = {}
    for activity in service.menu_card().activities().values():
        if school.school_type.value not in activity.school_types or f"a-{activity.id}-status" not in request.form:
            continue
        raw = _input(f"a-{activity.id}-")
        try:
            service.save_activity(school, activity.id, raw)
        except MenuError as exc:
            errors[activity.id] = messages[exc.code]
            typed[activity.id] = raw
    for entry in service.own_entries(school):
        if f"o-{entry.id}-status" not in request.form:
            continue
        raw = _input(f"o-{entry.id}-")
        try:
            service.save_own(entry, school, raw)
        except MenuError as exc:
            errors[f"own-{entry.id}"] = messages[exc.code]
            typed[f"own-{entry.id}"] = raw
    audit.record("menucard.saved", actor=current_user, school_id=school.id)
    db.session.commit()
    if errors:
        flash(_("Some activities were not saved; see the messages below. Everything else is saved."), "error")
        return _page(school, errors, typed, 400)
    flash(_("The menu card is saved."), "success")
    return redirect(url_for("menucard.index", school_id=school.id, _anchor=request.form.get("pillar", "")))


@bp.route("/own", methods=["POST"])
@login_required
def add_own(school_id: int):
    school = access.get_school_to_edit(current_user, school_id)
    pillar = request.form.get("pillar", "")
    try:
        service.add_own(school, pillar, request.form.get("title", ""), _input("new-"))
    except MenuError as exc:
        flash(_("Your own activity was not added: %(reason)s", reason=_messages()[exc.code]), "error")
        return _page(school, {f"new-{pillar}": _messages()[exc.code]},
                     {f"new-{pillar}": _input("new-")} | {"new-title": request.form.get("title", "")}, 400)
    audit.record("menucard.own_added", actor=current_user, school_id=school.id)
    db.session.commit()
    flash(_("Your own activity is added to the menu card."), "success")
    return redirect(url_for("menucard.index", school_id=school.id, _anchor=f"pillar-{pillar}"))


@bp.route("/own/<int:entry_id>/delete", methods=["POST"])
@login_required
def delete_own(school_id: int, entry_id: int):
    school = access.get_school_to_edit(current_user, school_id)
    entry = access.get_child(MenuEntry, entry_id, school)
    if not entry.own:
        abort(404)
    db.session.delete(entry)
    audit.record("menucard.own_removed", actor=current_user, school_id=school.id)
    db.session.commit()
    flash(_("The activity is removed from the menu card."), "success")
    return redirect(url_for("menucard.index", school_id=school.id, _anchor=f"pillar-{entry.pillar}"))
