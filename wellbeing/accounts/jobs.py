"""Account mails sent by jobs, so a request's timing never depends on whether an address exists."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from wellbeing import db, mail
from wellbeing.accounts.models import TokenPurpose
from wellbeing.accounts.security import issue_token
from wellbeing.accounts.service import user_by_email
from wellbeing.i18n import in_locale
from wellbeing.jobs import job


def _settings():
    return current_app.extensions["wellbeing.settings"]


@job("mail")
def send_reset_link(email: str) -> None:
    """Mail a reset link to ``email`` if it belongs to an active account; do nothing otherwise."""
    user = user_by_email(email)
    if user is None or not user.is_active:
        return
    settings = _settings()
    token = issue_token(user, TokenPurpose.RESET, timedelta(hours=settings.reset_hours))
    # No request here in a worker: build the path from the URL map itself.
    link = settings.base_url + current_app.url_map.bind("").build("accounts.reset_password", {"token": token})
    with in_locale(user.locale):
        subject = _("Reset your password")
        body = _("Someone asked to reset the password of your account. If that was you, use this "
                 "link within %(hours)d hours:\n%(link)s\n\nIf it was not you, ignore this e-mail.",
                 hours=settings.reset_hours, link=link)
    mail.send(user.email, subject, body)
    db.session.commit()  # the token and its mail together
