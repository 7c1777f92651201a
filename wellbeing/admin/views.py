"""Administration views. Every object is loaded through the access policy; foreign ids are 404."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import delete, func, select

from wellbeing import access, db
from wellbeing.access import Level
from wellbeing.accounts.models import Membership, PortfolioAssignment, Role, User
from wellbeing.accounts.service import send_invitation, user_by_email
from wellbeing.admin.forms import InviteForm, MunicipalityForm, PortfolioForm, RegionForm, SchoolForm
from wellbeing.tenancy.models import Municipality, Region, School

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _require_platform_admin() -> None:
    if not current_user.has_role(Role.PLATFORM_ADMIN):
        abort(404)


def invite_user(name: str, email: str, membership: Membership) -> User:
    """Find or create the user for ``email``, add ``membership`` and send an invitation if needed."""
    user = user_by_email(email)
    if user is None:
        user = User(name=name.strip(), email=email.strip().lower(), locale="nl")
        db.session.add(user)
    exists = any(m.role == membership.role and m.region_id == membership.region_id
                 and m.municipality_id == membership.municipality_id and m.school_id == membership.school_id
                 for m in user.memberships)
    if not exists:
        user.memberships.append(membership)
    db.session.flush()
    if user.password_hash is None:
        send_invitation(user, current_user)
    return user


@bp.route("/regions", methods=["GET", "POST"])
@login_required
def regions():
    _require_platform_admin()
    form = RegionForm()
    if form.validate_on_submit():
        code = form.code.data.strip().upper()
        if db.session.scalar(select(Region).where(Region.code == code)):
            form.code.errors.append(_("A region with this code exists already."))
        else:
            region = Region(code=code, name=form.name.data.strip())
            db.session.add(region)
            db.session.flush()
            invite_user(form.admin_name.data, form.admin_email.data,
                        Membership(role=Role.REGION_ADMIN, region_id=region.id))
            db.session.commit()
            flash(_("Region %(name)s created; its administrator has been invited.", name=region.name), "success")
            return redirect(url_for("admin.regions"))
    rows = db.session.execute(
        select(Region, func.count(Municipality.id)).outerjoin(Municipality).group_by(Region.id).order_by(Region.name)).all()
    return render_template("admin/regions.html", rows=rows, form=form)


def _region_forms(region: Region):
    municipalities = db.session.scalars(select(Municipality).where(Municipality.region_id == region.id)
                                        .order_by(Municipality.name)).all()
    schools = db.session.scalars(select(School).join(Municipality).where(Municipality.region_id == region.id)
                                 .order_by(School.name)).all()
    school_form = SchoolForm(prefix="school")
    school_form.municipality_id.choices = [(m.id, m.name) for m in municipalities]
    invite_form = InviteForm(prefix="invite")
    invite_form.municipality_id.choices = [(0, "—")] + [(m.id, m.name) for m in municipalities]
    invite_form.school_id.choices = [(0, "—")] + [(s.id, f"{s.name} ({s.brin}{s.vestiging})") for s in schools]
    return municipalities, schools, MunicipalityForm(prefix="mun"), school_form, invite_form


def _region_page(region: Region, forms, status: int = 200):
    municipalities, schools, mun_form, school_form, invite_form = forms
    members = db.session.execute(
        select(User, Membership).join(Membership).outerjoin(Municipality, Municipality.id == Membership.municipality_id)
        .outerjoin(School, School.id == Membership.school_id)
        .where((Membership.region_id == region.id) | (Municipality.region_id == region.id)
               | (School.municipality_id.in_([m.id for m in municipalities])))
        .order_by(User.name)).all()
    return render_template("admin/region.html", region=region, municipalities=municipalities, schools=schools,
                           members=members, mun_form=mun_form, school_form=school_form,
                           invite_form=invite_form), status


@bp.route("/regions/<int:region_id>")
@login_required
def region(region_id: int):
    region = access.get_managed_region(current_user, region_id)
    return _region_page(region, _region_forms(region))


@bp.route("/regions/<int:region_id>/municipalities", methods=["POST"])
@login_required
def add_municipality(region_id: int):
    region = access.get_managed_region(current_user, region_id)
    forms = _region_forms(region)
    form = forms[2]
    if form.validate_on_submit():
        if db.session.scalar(select(Municipality).where(Municipality.code == form.code.data)):
            form.code.errors.append(_("A municipality with this CBS code exists already."))
        else:
            db.session.add(Municipality(code=form.code.data, name=form.name.data.strip(), region_id=region.id))
            db.session.commit()
            flash(_("Municipality added."), "success")
            return redirect(url_for("admin.region", region_id=region.id))
    return _region_page(region, forms, 400)


@bp.route("/regions/<int:region_id>/schools", methods=["POST"])
@login_required
def add_school(region_id: int):
    region = access.get_managed_region(current_user, region_id)
    forms = _region_forms(region)
    form = forms[3]
    if form.validate_on_submit():
        brin = form.brin.data.upper()
        if db.session.scalar(select(School).where(School.brin == brin, School.vestiging == form.vestiging.data)):
            form.brin.errors.append(_("A school with this BRIN and location number exists already."))
        else:
            db.session.add(School(brin=brin, vestiging=form.vestiging.data, name=form.name.data.strip(),
                                  school_type=form.school_type.data, municipality_id=form.municipality_id.data))
            db.session.commit()
            flash(_("School added."), "success")
            return redirect(url_for("admin.region", region_id=region.id))
    return _region_page(region, forms, 400)


@bp.route("/regions/<int:region_id>/users", methods=["POST"])
@login_required
def invite(region_id: int):
    region = access.get_managed_region(current_user, region_id)
    forms = _region_forms(region)
    form = forms[4]
    if form.validate_on_submit():
        role = Role(form.role.data)
        membership = None
        if role in (Role.REGION_ADMIN, Role.GSA):
            membership = Membership(role=role, region_id=region.id)
        elif role == Role.MUNICIPALITY_OFFICER:
            if form.municipality_id.data in {m.id for m in forms[0]}:
                membership = Membership(role=role, municipality_id=form.municipality_id.data)
            else:
                form.municipality_id.errors.append(_("Choose the municipality this officer works for."))
        elif role == Role.SCHOOL_COORDINATOR:
            if form.school_id.data in {s.id for s in forms[1]}:
                membership = Membership(role=role, school_id=form.school_id.data)
            else:
                form.school_id.errors.append(_("Choose the school this coordinator works for."))
        if membership is not None:
            invite_user(form.name.data, form.email.data, membership)
            db.session.commit()
            flash(_("%(email)s has been given access.", email=form.email.data), "success")
            return redirect(url_for("admin.region", region_id=region.id))
    return _region_page(region, forms, 400)


@bp.route("/regions/<int:region_id>/portfolio/<int:user_id>", methods=["GET", "POST"])
@login_required
def portfolio(region_id: int, user_id: int):
    region = access.get_managed_region(current_user, region_id)
    gsa = db.session.get(User, user_id)
    if gsa is None or region.id not in gsa.scope_ids(Role.GSA):
        abort(404)
    schools = db.session.scalars(select(School).join(Municipality).where(Municipality.region_id == region.id)
                                 .order_by(School.name)).all()
    current = set(db.session.scalars(select(PortfolioAssignment.school_id).where(
        PortfolioAssignment.user_id == gsa.id, PortfolioAssignment.school_id.in_([s.id for s in schools]))))
    form = PortfolioForm(data={"school_ids": sorted(current)})
    form.school_ids.choices = [(s.id, f"{s.name} — {s.municipality.name}") for s in schools]
    if form.validate_on_submit():
        chosen = set(form.school_ids.data)
        db.session.execute(delete(PortfolioAssignment).where(
            PortfolioAssignment.user_id == gsa.id, PortfolioAssignment.school_id.in_(sorted(current - chosen))))
        db.session.add_all(PortfolioAssignment(user_id=gsa.id, school_id=sid) for sid in sorted(chosen - current))
        db.session.commit()
        flash(_("The portfolio of %(name)s is saved.", name=gsa.name), "success")
        return redirect(url_for("admin.region", region_id=region.id))
    return render_template("admin/portfolio.html", region=region, gsa=gsa, form=form)


@bp.route("/users")
@login_required
def users():
    regions = db.session.scalars(access.regions_query(current_user, Level.RECORD)).all()
    regions = [r for r in regions if access.can_manage_region(current_user, r.id)]
    if not regions:
        abort(404)
    region_ids = [r.id for r in regions]
    region_schools = select(School.id).join(Municipality).where(Municipality.region_id.in_(region_ids))
    region_municipalities = select(Municipality.id).where(Municipality.region_id.in_(region_ids))
    visible = (Membership.region_id.in_(region_ids) | Membership.municipality_id.in_(region_municipalities)
               | Membership.school_id.in_(region_schools))
    if current_user.has_role(Role.PLATFORM_ADMIN):
        visible = Membership.id.isnot(None)
    rows = db.session.execute(select(User, Membership).join(Membership).where(visible)
                              .order_by(User.name, Membership.role)).all()
    grouped: dict[User, list[Membership]] = {}
    for user, membership in rows:
        grouped.setdefault(user, []).append(membership)
    return render_template("admin/users.html", grouped=grouped, regions=regions)
