"""Groups of municipalities that run the cycle together (e.g. a youth-care subregion): define,
change and remove one. The group's cycle pages themselves are the municipal ones (``views.route``
registers each for a group too).

Who: the region's GGD staff (administrators, GSAs) define groups of its municipalities; an officer
defines one that includes a municipality of their own, with neighbours from the same region. The
officers of every member municipality and the region's GGD staff see and edit the group's cycle
(``access.groups_query``); people at schools see none of it.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from wellbeing import access, db
from wellbeing.cycle import service
from wellbeing.cycle.forms import ConfirmForm, GroupForm
from wellbeing.cycle.models import CycleGroup
from wellbeing.cycle.blueprint import bp


def _form(group: CycleGroup | None, formdata=None) -> tuple[GroupForm, dict]:
    form = GroupForm(formdata, obj=group if formdata is None else None)
    choosable = {m.id: m for m in access.groupable_municipalities(current_user)}
    if group is not None:
        choosable = {i: m for i, m in choosable.items() if m.region_id == group.region_id}
        choosable.update({m.id: m for m in group.members})
    form.members.choices = [(str(m.id), f"{m.name} ({m.region.name})") for m in
                            sorted(choosable.values(), key=lambda m: (m.region.name, m.name))]
    if formdata is None and group is not None:
        form.members.data = [str(m.id) for m in group.members]
    return form, choosable


def _save(group: CycleGroup | None):
    form, choosable = _form(group, request.form if request.method == "POST" else None)
    if request.method == "POST" and form.validate():
        members = [choosable[int(i)] for i in dict.fromkeys(form.members.data or [])]
        if len(members) < 2:
            form.members.errors.append(_("Choose at least two municipalities."))
        elif not access.may_define_group(current_user, members) or (
                group is not None and members[0].region_id != group.region_id):
            form.members.errors.append(_("Choose municipalities of one region, among them one of your own."))
        else:
            group = service.save_group(current_user, group, form.name.data.strip(), members)
            db.session.commit()
            flash(_("The group is saved."), "success")
            return redirect(url_for("cycle.start", group_id=group.id))
    status = 400 if request.method == "POST" else 200
    return render_template("cycle/group_form.html", form=form, group=group, confirm=ConfirmForm()), status


@bp.route("/cycle/groups/new", methods=["GET", "POST"])
@login_required
def new_group():
    if not access.groupable_municipalities(current_user):
        abort(404)
    return _save(None)


@bp.route("/cycle/group/<int:group_id>/edit", methods=["GET", "POST"])
@login_required
def edit_group(group_id: int):
    return _save(access.get_cycle_group(current_user, group_id))


@bp.route("/cycle/group/<int:group_id>/remove", methods=["POST"])
@login_required
def remove_group(group_id: int):
    group = access.get_cycle_group(current_user, group_id)
    if not ConfirmForm().validate():
        abort(400)
    service.remove_group(current_user, group)
    db.session.commit()
    flash(_("The group and its cycle are removed."), "success")
    return redirect(url_for("cycle.index"))
