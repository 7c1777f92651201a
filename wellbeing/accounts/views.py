"""Login, logout, invitations, password reset and the user's own profile."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from wellbeing import db, jobs
from wellbeing.accounts.forms import LoginForm, ProfileForm, ResetRequestForm, SetPasswordForm
from wellbeing.accounts.jobs import send_reset_link
from wellbeing.accounts.models import TokenPurpose
from wellbeing.accounts.security import Throttle, find_token, hash_password, verify_password, within_rate
from wellbeing.accounts.service import user_by_email
from wellbeing.auth import login_sessions, second_factor
from wellbeing.auth import views as sign_in
from wellbeing.auth.forms import EmptyForm
from wellbeing.db import utcnow
from wellbeing.inputs import safe_next

bp = Blueprint("accounts", __name__)
RESET_RATE_WINDOW = timedelta(hours=1)


def _settings():
    return current_app.extensions["wellbeing.settings"]


def _login_throttles() -> tuple[Throttle, Throttle]:
    """Failures count per (address, client) pair, so a stranger elsewhere cannot lock the real user
    out, and per client, so one client cannot try many addresses. Each next lock lasts longer."""
    settings = _settings()
    return (Throttle(settings.login_max_failures, settings.login_lock_minutes),
            Throttle(settings.login_max_failures * 10, settings.login_lock_minutes))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        client = request.remote_addr or "unknown"
        pair_throttle, client_throttle = _login_throttles()
        pair, per_client = [f"pair:{email}|{client}"], [f"client:{client}"]
        if pair_throttle.locked(pair) or client_throttle.locked(per_client):
            db.session.commit()
            flash(_("Too many failed attempts. Wait a few minutes and try again."), "error")
            return render_template("accounts/login.html", form=form), 429
        user = user_by_email(email)
        if verify_password(user, form.password.data) and user.is_active:
            pair_throttle.clear(pair)
            return sign_in.after_password(user, safe_next(request.args.get("next")))
        pair_throttle.fail(pair)
        client_throttle.fail(per_client)
        db.session.commit()
        flash(_("The e-mail address or password is not correct."), "error")
        return render_template("accounts/login.html", form=form), 401
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    login_sessions.end()
    flash(_("You are logged out."), "info")
    return redirect(url_for("accounts.login"))


def _password_from_token(purpose: TokenPurpose, token: str, template: str):
    row = find_token(token, purpose)
    if row is None:
        flash(_("This link is not valid any more: it was used already or has expired. Ask for a new one."),
              "error")
        return redirect(url_for("accounts.login"))
    form = SetPasswordForm(user=row.user)
    if form.validate_on_submit():
        row.user.password_hash = hash_password(form.password.data)
        row.used_at = utcnow()
        # A new password ends every session, including one an attacker may hold.
        login_sessions.revoke_all(row.user_id)
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
        settings = _settings()
        email = form.email.data.strip().lower()
        if not within_rate(f"reset-client:{request.remote_addr or 'unknown'}", settings.reset_max_per_client,
                           RESET_RATE_WINDOW):
            db.session.commit()
            flash(_("Too many requests from your network. Wait an hour and try again."), "error")
            return render_template("accounts/reset_request.html", form=form), 429
        # Known and unknown addresses take the same path here: one counter, one job. Whether the
        # address exists is looked up in the job (a worker in production), so timing tells nothing.
        if within_rate(f"reset-address:{email}", settings.reset_max_per_address, RESET_RATE_WINDOW):
            db.session.commit()
            jobs.enqueue(send_reset_link, email)
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
    return render_template("accounts/profile.html", form=form, end_form=EmptyForm(),
                           sessions=login_sessions.active_sessions(current_user.id),
                           this_session=login_sessions.current_token_hash(),
                           second_factor_on=second_factor.enrolled(current_user))
