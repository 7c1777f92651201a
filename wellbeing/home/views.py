"""Home: send each user to the page that fits their role."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from wellbeing import access, audit, db
from wellbeing.progress import gather
from wellbeing.progress import phase as phases
from wellbeing.access import Level
from wellbeing.accounts.models import PortfolioAssignment, Role, User
from wellbeing.audit import AuditEntry
from wellbeing.home import log
from wellbeing.instruments.registry import registry
from wellbeing.labels import PREVENTION_LABELS, locale_code, sharing_label
from wellbeing.menucard import service as menucard
from wellbeing.release.read import latest
from wellbeing.release.school import own_figures
from wellbeing.rounds.service import CHECKLIST_ID
from wellbeing.tenancy.models import School, Sharing
from wellbeing.vignet import service as vignet
from wellbeing.pillars import PILLARS

bp = Blueprint("home", __name__)
LOG_ENTRIES = 2000  # the log page shows the newest entries; a GSA's day of reading folds into one line


@bp.route("/")
@login_required
def index():
    roles = current_user.roles()
    if roles == {Role.PLATFORM_ADMIN}:
        return redirect(url_for("admin.regions"))
    regions = db.session.scalars(access.regions_query(current_user, Level.RECORD)).all() \
        if Role.REGION_ADMIN in roles else []
    if roles == {Role.REGION_ADMIN} and len(regions) == 1:
        return redirect(url_for("admin.region", region_id=regions[0].id))
    schools = db.session.scalars(access.schools_query(current_user, Level.CONTENT)
                                 .where(School.id.in_(sorted(current_user.scope_ids(Role.SCHOOL_COORDINATOR))))
                                 ).all()
    if roles == {Role.SCHOOL_COORDINATOR} and len(schools) == 1:
        return redirect(url_for("home.school", school_id=schools[0].id))
    municipalities = []
    if Role.MUNICIPALITY_OFFICER in roles:
        municipalities = db.session.scalars(access.municipalities_query(current_user).where(
            access.Municipality.id.in_(sorted(current_user.scope_ids(Role.MUNICIPALITY_OFFICER))))).all()
        if roles == {Role.MUNICIPALITY_OFFICER} and len(municipalities) == 1:
            return redirect(url_for("overview.municipality", municipality_id=municipalities[0].id))
    if roles == {Role.GSA}:
        return redirect(url_for("portfolio.index"))
    portfolio = []
    if Role.GSA in roles:
        portfolio = db.session.scalars(access.schools_query(current_user, Level.PROGRESS).where(
            School.id.in_(select(PortfolioAssignment.school_id)
                          .where(PortfolioAssignment.user_id == current_user.id)))).all()
    return render_template("home/index.html", regions=regions, schools=schools,
                           municipalities=municipalities, portfolio=portfolio, roles=roles)


@bp.route("/school/<int:school_id>")
@login_required
def school(school_id: int):
    school = access.get_school(current_user, school_id, Level.PROGRESS)
    level = access.school_level(current_user, school)
    is_coordinator = school.id in current_user.scope_ids(Role.SCHOOL_COORDINATOR)
    facts = gather.school_facts(school)
    return render_template("home/school.html", school=school, level=level, Level=Level,
                           is_coordinator=is_coordinator, sharing_options=list(Sharing),
                           phase=phases.phase(facts), steps=phases.stepper(facts), step_titles=phases.STEPS,
                           readiness=vignet.readiness(school, facts), gaps=len(menucard.gaps(school)))


@bp.route("/school/<int:school_id>/sharing", methods=["POST"])
@login_required
def sharing(school_id: int):
    """The school decides what its GSA may see; only the school's own coordinators may change it."""
    school = access.get_school(current_user, school_id, Level.PROGRESS)
    if school.id not in current_user.scope_ids(Role.SCHOOL_COORDINATOR):
        abort(404)
    try:
        choice = Sharing(request.form.get("gsa_sharing", ""))
    except ValueError:
        flash(_("Choose what your GSA may see."), "error")
        return redirect(url_for("home.school", school_id=school.id))
    if choice != school.gsa_sharing:
        school.gsa_sharing = choice
        audit.record("sharing.changed", actor=current_user, school_id=school.id, detail=choice.value)
        db.session.commit()
    flash(_("Saved: your GSA sees %(what)s.", what=sharing_label(choice).lower()), "success")
    return redirect(url_for("home.school", school_id=school.id))


@bp.route("/school/<int:school_id>/log")
@login_required
def audit_log(school_id: int):
    """The school's own audit log: who outside the school looked at its content, and round events."""
    school = access.get_school(current_user, school_id, Level.PROGRESS)
    if school.id not in current_user.scope_ids(Role.SCHOOL_COORDINATOR):
        abort(404)
    kind = request.args.get("kind", "all")
    if kind not in log.KINDS:
        kind = "all"
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.school_id == school.id)
                                 .options(selectinload(AuditEntry.actor).selectinload(User.memberships))
                                 .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(LOG_ENTRIES)).all()
    return render_template("home/audit_log.html", school=school, days=log.days(entries, school.id, kind),
                           kind=kind, kinds=log.KINDS, limited=len(entries) == LOG_ENTRIES)


@bp.route("/school/<int:school_id>/upward")
@login_required
def upward(school_id: int):
    """Which of the school's own figures go into the releases for the municipality, the region and
    the country; only the school's coordinators see it."""
    school = access.get_school(current_user, school_id, Level.PROGRESS)
    if school.id not in current_user.scope_ids(Role.SCHOOL_COORDINATOR):
        abort(404)
    lc = locale_code()
    checklist = registry().latest(CHECKLIST_ID)
    menu_card = registry().latest("menu-card-welbevinden")
    school_type = getattr(school.school_type, "value", school.school_type)
    return render_template(
        "home/upward.html", school=school, figures=own_figures(school.id, date.today()), release=latest(),
        elements={e.id: e.title[lc] for e in checklist.elements},
        statements={i.id: i.text[lc] for e in checklist.elements for i in e.items},
        pillar_labels={p: menu_card.pillar_label(p, school_type, lc) for p in PILLARS},
        prevention_labels={k: str(v) for k, v in PREVENTION_LABELS.items()},
        minimum=current_app.extensions["wellbeing.settings"].min_schools)
