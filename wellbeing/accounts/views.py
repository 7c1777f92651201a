"""Login, logout, invitations, password reset and the user's own profile."""
from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from wellbeing import db, mail
from wellbeing.accounts.forms import LoginForm, ProfileForm, ResetRequestForm, SetPasswordForm
from wellbeing.accounts.models import TokenPurpose, User
from wellbeing.accounts.security import Throttle, find_token, hash_password, issue_token, verify_password
from wellbeing.db import utcnow
from wellbeing.i18n import in_locale
from wellbeing.inputs import has_control

bp = Blueprint("accounts", __name__)


def _settings():
    return current_app.extensions["wellbeing.settings"]


def _throttle() -> Throttle:
    settings = _settings()
    return Throttle(settings.login_max_failures, settings.login_lock_minutes)


def safe_next(target: str | None) -> str:
    """Only same-site relative paths are followed after login; none with control characters or
    backslashes (a line break would end the Location header, a backslash reads as a slash)."""
    if target and not has_control(target) and not any(c in target for c in "\\\n\r\t") and len(target) <= 2000:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("home.index")


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        keys = [f"email:{email}", f"ip:{request.remote_addr or 'unknown'}"]
        throttle = _throttle()
        if throttle.locked(keys):
            db.session.commit()
            flash(_("Too many failed attempts. Wait a few minutes and try again."), "error")
            return render_template("accounts/login.html", form=form), 429
        user = user_by_email(email)
        if verify_password(user, form.password.data) and user.is_active:
            throttle.clear(keys)
            user.last_login_at = utcnow()
            db.session.commit()
            login_user(user)
            return redirect(safe_next(request.args.get("next")))
        throttle.fail(keys)
        db.session.commit()
        flash(_("The e-mail address or password is not correct."), "error")
        return render_template("accounts/login.html", form=form), 401
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


def send_invitation(user: User, inviter: User | None) -> None:
    """Issue an invitation token and mail the link in the invitee's language."""
    token = issue_token(user, TokenPurpose.INVITATION, timedelta(days=_settings().invitation_days))
    link = _settings().base_url + url_for("accounts.accept_invitation", token=token)
    with in_locale(user.locale):
        subject = _("Invitation to Welbevinden in beeld")
        body = _("%(inviter)s invited you to Welbevinden in beeld.\n\nChoose your password with this link "
                 "(valid for %(days)d days, usable once):\n%(link)s\n",
                 inviter=inviter.name if inviter else "Welbevinden in beeld",
                 days=_settings().invitation_days, link=link)
    mail.send(user.email, subject, body)


def _password_from_token(purpose: TokenPurpose, token: str, template: str):
    row = find_token(token, purpose)
    if row is None:
        flash(_("This link is not valid any more: it was used already or has expired. Ask for a new one."),
              "error")
        return redirect(url_for("accounts.login"))
    form = SetPasswordForm()
    if form.validate_on_submit():
        row.user.password_hash = hash_password(form.password.data)
        row.used_at = utcnow()
        db.session.commit()
        flash(_("Your password is set. You can log in now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template(template, form=form, user=row.user)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    return _password_from_token(TokenPurpose.INVITATION, token, "accounts/accept_invitation.html")


@bp.route("/reset", methods=["GET", "POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        user = user_by_email(form.email.data)
        if user is not None and user.is_active:
            token = issue_token(user, TokenPurpose.RESET, timedelta(hours=_settings().reset_hours))
            link = _settings().base_url + url_for("accounts.reset_password", token=token)
            with in_locale(user.locale):
                subject = _("Reset your password")
                body = _("Someone asked to reset the password of your account. If that was you, use this "
                         "link within %(hours)d hours:\n%(link)s\n\nIf it was not you, ignore this e-mail.",
                         hours=_settings().reset_hours, link=link)
            mail.send(user.email, subject, body)
        db.session.commit()
        # The same answer whether or not the address exists: no account enumeration.
        flash(_("If this address belongs to an account, we have sent it a link to reset the password."),
              "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    return _password_from_token(TokenPurpose.RESET, token, "accounts/reset_password.html")


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.name = form.name.data.strip()
        current_user.locale = form.locale.data
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)
