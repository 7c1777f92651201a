"""The steps after the password (second factor, enrolment), the user's sessions, and what
administrators may do: reset someone's second factor, and set the region's sign-in policy."""
from __future__ import annotations

import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from wellbeing import access, audit, db
from wellbeing.access import Level
from wellbeing.accounts.models import Membership, Role, User
from wellbeing.accounts.security import Throttle
from wellbeing.auth import federation, login_sessions, second_factor
from wellbeing.auth.forms import CodeForm, EmptyForm, RegionSignInForm
from wellbeing.auth.models import LoginSession, RegionSignInPolicy, SecondFactor
from wellbeing.db import utcnow
from wellbeing.tenancy.models import Municipality, School

bp = Blueprint("auth", __name__)

PENDING = "pending_user"
#: Seconds between a correct password and the code before the password is asked again.
PENDING_SECONDS = 600


def _settings():
    return current_app.extensions["wellbeing.settings"]


def _factor_throttle() -> Throttle:
    settings = _settings()
    return Throttle(settings.login_max_failures, settings.login_lock_minutes)


def after_password(user: User, next_url: str):
    """The password was right: finish, or continue with the second factor (enrolling if needed)."""
    if federation.password_refused(user):
        db.session.commit()
        flash(_("Your organisation asks you to log in through its own login page: use the button below."),
              "error")
        return redirect(url_for("accounts.login"))
    if not second_factor.required(user):
        return complete(user, next_url)
    login_sessions.fresh_cookie()
    session[PENDING] = {"user": user.id, "at": int(time.time()), "next": next_url}
    db.session.commit()
    return redirect(url_for("auth.code" if second_factor.enrolled(user) else "auth.enrol"))


def complete(user: User, next_url: str):
    login_sessions.start(user)
    user.last_login_at = utcnow()
    db.session.commit()
    return redirect(next_url)


def _pending_user() -> tuple[User, str] | None:
    pending = session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"))
    if user is None or not user.is_active:
        return None
    return user, pending.get("next") or url_for("home.index")


def _start_again():
    session.pop(PENDING, None)
    flash(_("Log in again: too much time passed since you entered your password."), "error")
    return redirect(url_for("accounts.login"))


@bp.route("/login/code", methods=["GET", "POST"])
def code():
    pending = _pending_user()
    if pending is None:
        return _start_again()
    user, next_url = pending
    if not second_factor.enrolled(user):
        return redirect(url_for("auth.enrol"))
    form = CodeForm()
    if form.validate_on_submit():
        keys, throttle = [f"factor:{user.id}"], _factor_throttle()
        if throttle.locked(keys):
            db.session.commit()
            flash(_("Too many wrong codes. Wait a few minutes and try again."), "error")
            return render_template("auth/code.html", form=form), 429
        entered = form.code.data.strip()
        used_recovery = False
        ok = second_factor.check_code(user, entered)
        if not ok and not entered.isdigit():
            ok = used_recovery = second_factor.use_recovery_code(user, entered)
        if ok:
            throttle.clear(keys)
            response = complete(user, next_url)
            if used_recovery:
                flash(_("You used a recovery code; %(count)d are left. Each code works once.",
                        count=second_factor.remaining_recovery_codes(user)), "info")
            return response
        throttle.fail(keys)
        db.session.commit()
        flash(_("The code is not correct. Use the current code from your authenticator app, "
                "or one of your recovery codes."), "error")
        return render_template("auth/code.html", form=form), 401
    return render_template("auth/code.html", form=form)


@bp.route("/login/enrol", methods=["GET", "POST"])
def enrol():
    pending = _pending_user()
    if pending is None:
        return _start_again()
    user, next_url = pending
    if second_factor.enrolled(user):
        return redirect(url_for("auth.code"))
    return _enrolment(user, lambda: complete(user, next_url), next_url, optional=False)


@bp.route("/profile/second-factor", methods=["GET", "POST"])
@login_required
def profile_enrol():
    """Anyone signed in may add a second factor (coordinators choose to; others have one)."""
    user = current_user._get_current_object()
    if second_factor.enrolled(user):
        return redirect(url_for("accounts.profile"))
    # Enrolling raises what this session proves: it continues under a new session id.
    return _enrolment(user, lambda: login_sessions.renew(user), url_for("accounts.profile"), optional=True)


def _enrolment(user: User, finish, next_url: str, optional: bool):
    """The enrolment page: a QR code and key, then a code to confirm; ``finish`` signs in on success,
    after which the recovery codes are shown, once."""
    secret = second_factor.begin_enrolment(user)
    db.session.commit()
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        keys, throttle = [f"factor:{user.id}"], _factor_throttle()
        if throttle.locked(keys):
            flash(_("Too many wrong codes. Wait a few minutes and try again."), "error")
            status = 429
        elif second_factor.check_code(user, form.code.data):
            throttle.clear(keys)
            codes = second_factor.new_recovery_codes(user)
            audit.record("second_factor.enrolled", actor=user, detail=f"user {user.id}")
            finish()
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes, next_url=next_url)
        else:
            throttle.fail(keys)
            flash(_("The code is not correct. Check the time on your phone and enter the current code."),
                  "error")
            status = 401
        db.session.commit()
    uri = second_factor.provisioning_uri(user, secret)
    return render_template("auth/enrol.html", form=form, secret=secret, uri=uri, optional=optional,
                           qr=Markup(second_factor.qr_svg(uri)), user=user), status


@bp.route("/profile/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id: int):
    row = db.session.get(LoginSession, session_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    db.session.delete(row)
    db.session.commit()
    flash(_("That session is signed out."), "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/profile/sessions/end-all", methods=["POST"])
@login_required
def end_all_sessions():
    if not EmptyForm().validate_on_submit():
        abort(400)
    login_sessions.revoke_all(current_user.id)
    db.session.commit()
    login_sessions.end()
    flash(_("You are signed out everywhere, on this device too."), "info")
    return redirect(url_for("accounts.login"))


def _may_manage(target: User) -> bool:
    """Platform administrators manage everyone; a region administrator the users of their region."""
    if current_user.has_role(Role.PLATFORM_ADMIN):
        return True
    regions = current_user.scope_ids(Role.REGION_ADMIN)
    if not regions or target.has_role(Role.PLATFORM_ADMIN):
        return False
    in_region = (Membership.region_id.in_(regions)
                 | Membership.municipality_id.in_(select(Municipality.id).where(Municipality.region_id.in_(regions)))
                 | Membership.school_id.in_(select(School.id).join(Municipality)
                                            .where(Municipality.region_id.in_(regions))))
    return db.session.scalar(select(Membership.id).where(Membership.user_id == target.id, in_region)
                             .limit(1)) is not None


@bp.route("/admin/users/<int:user_id>/second-factor/reset", methods=["POST"])
@login_required
def reset_second_factor(user_id: int):
    target = db.session.get(User, user_id)
    if target is None or not _may_manage(target):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    second_factor.remove(target.id)
    login_sessions.revoke_all(target.id, keep_current=target.id == current_user.id)
    audit.record("second_factor.reset", actor=current_user, detail=f"user {target.id} <{target.email}>")
    db.session.commit()
    current_app.logger.info("second factor reset", extra={"target_user": target.id, "by_user": current_user.id})
    flash(_("The second factor of %(name)s is reset: they set it up again at their next login.",
            name=target.name), "success")
    return redirect(url_for("admin.users"))


@bp.route("/admin/regions/<int:region_id>/sign-in", methods=["GET", "POST"])
@login_required
def region_sign_in(region_id: int):
    region = access.get_region(current_user, region_id, Level.RECORD)
    if not access.can_manage_region(current_user, region.id):
        abort(404)
    policy = db.session.get(RegionSignInPolicy, region.id) or RegionSignInPolicy(
        region_id=region.id, coordinators_need_second_factor=False, federated_login_required=False)
    form = RegionSignInForm(obj=policy)
    if form.validate_on_submit():
        form.populate_obj(policy)
        db.session.add(policy)
        audit.record("region.sign_in_policy", actor=current_user,
                     detail=f"region {region.id}: coordinators_need_second_factor="
                            f"{policy.coordinators_need_second_factor}, federated_login_required="
                            f"{policy.federated_login_required}")
        db.session.commit()
        flash(_("The sign-in settings of the region are saved."), "success")
        return redirect(url_for("auth.region_sign_in", region_id=region.id))
    return render_template("auth/region_sign_in.html", form=form, region=region)


@bp.app_template_global()
def users_with_second_factor(user_ids) -> set[int]:
    """Which of these users have a confirmed second factor (one query, for user lists)."""
    ids = list(user_ids)
    if not ids:
        return set()
    return set(db.session.scalars(select(SecondFactor.user_id).where(
        SecondFactor.user_id.in_(ids), SecondFactor.confirmed_at.isnot(None))))
