"""Account services several features use: finding a user by address and inviting one."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from wellbeing import db, mail
from wellbeing.accounts.models import TokenPurpose, User
from wellbeing.accounts.security import issue_token
from wellbeing.i18n import in_locale


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def send_invitation(user: User, inviter: User | None) -> None:
    """Issue an invitation token and mail the link in the invitee's language (the caller commits)."""
    settings = current_app.extensions["wellbeing.settings"]
    token = issue_token(user, TokenPurpose.INVITATION, timedelta(days=settings.invitation_days))
    link = settings.base_url + url_for("accounts.accept_invitation", token=token)
    with in_locale(user.locale):
        subject = _("Invitation to Welbevinden in beeld")
        body = _("%(inviter)s invited you to Welbevinden in beeld.\n\nChoose your password with this link "
                 "(valid for %(days)d days, usable once):\n%(link)s\n",
                 inviter=inviter.name if inviter else "Welbevinden in beeld",
                 days=settings.invitation_days, link=link)
    mail.send(user.email, subject, body)
