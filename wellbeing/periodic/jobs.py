"""The periodic jobs. Each takes its lock, finds what is due, and records every notice before
queueing its e-mail, so running a job twice (or two schedulers at once) sends nothing twice."""
from __future__ import annotations

import logging
from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wellbeing import db, jobs, mail
from wellbeing.accounts.models import Membership, Role, User
from wellbeing.periodic.locks import held
from wellbeing.periodic.models import SentNotice
from wellbeing.rounds.models import Invitee, Round, RoundStatus
from wellbeing.summaries.refresh import refresh_all
from wellbeing.tenancy.models import School
from wellbeing.vignet.models import Certificate

log = logging.getLogger(__name__)
ROUND_REMINDER_DAYS = 3
CERTIFICATE_REMINDER_DAYS = (183, 30)


def claim(kind: str, key: str) -> bool:
    """Record a notice as sent; False when it was sent before. The caller commits it together with
    what it sends (the mails' jobs), so a notice is either sent and recorded, or neither."""
    try:
        with db.session.begin_nested():
            db.session.add(SentNotice(kind=kind, key=key))
    except IntegrityError:
        return False
    return True


@jobs.job("default")
def remind_closing_rounds(today: date | None = None) -> int:
    """Remind the invited team a few days before a round's planned closing day. Returns mails sent."""
    today = today or date.today()
    with held("remind-closing-rounds", timedelta(minutes=30)) as mine:
        if not mine:
            return 0
        due = db.session.scalars(select(Round).where(
            Round.status == RoundStatus.OPEN, Round.closes_on.isnot(None),
            Round.closes_on >= today, Round.closes_on <= today + timedelta(days=ROUND_REMINDER_DAYS))).all()
        sent = 0
        for round_ in due:
            addresses = db.session.scalars(select(Invitee.email).where(Invitee.round_id == round_.id)).all()
            if not addresses or not claim("round-closing", str(round_.id)):
                continue
            school = db.session.get(School, round_.school_id)
            with force_locale("nl"):
                for address in addresses:
                    mail.send(address, _("Reminder: wellbeing checklist of %(school)s", school=school.name),
                              _("The wellbeing checklist of %(school)s closes on %(date)s. If you have not "
                                "filled it in yet, please use the link from the earlier e-mail. If you have: "
                                "thank you, you can ignore this message.\n",
                                school=school.name, date=format_date(round_.closes_on, "long")))
                    sent += 1
            db.session.commit()
        return sent


@jobs.job("default")
def remind_expiring_certificates(today: date | None = None) -> int:
    """Tell a school's coordinators half a year and a month before its vignet expires."""
    today = today or date.today()
    with held("remind-expiring-certificates", timedelta(minutes=30)) as mine:
        if not mine:
            return 0
        sent = 0
        for days in CERTIFICATE_REMINDER_DAYS:
            due = db.session.scalars(select(Certificate).where(
                Certificate.expires_on > today, Certificate.expires_on <= today + timedelta(days=days))).all()
            for certificate in due:
                newer = db.session.scalar(select(Certificate.id).where(
                    Certificate.school_id == certificate.school_id, Certificate.expires_on > certificate.expires_on))
                if newer is not None or not claim(f"certificate-{days}", str(certificate.id)):
                    continue
                sent += _mail_coordinators(certificate)
                db.session.commit()
        return sent


def _mail_coordinators(certificate: Certificate) -> int:
    school = db.session.get(School, certificate.school_id)
    users = db.session.scalars(select(User).join(Membership).where(
        Membership.role == Role.SCHOOL_COORDINATOR, Membership.school_id == school.id)).all()
    base = current_app.extensions["wellbeing.settings"].base_url
    count = 0
    for user in users:
        if not user.is_active:
            continue
        with force_locale(user.locale or "nl"):
            link = f"{base}/school/{school.id}/vignet"  # jobs run outside a request: no url_for
            mail.send(user.email, _("The vignet Welbevinden of %(school)s expires on %(date)s",
                                    school=school.name, date=format_date(certificate.expires_on, "long")),
                      _("The vignet Welbevinden of %(school)s is valid until %(date)s. Renewal must be applied "
                        "for before that day. See what is still missing:\n%(link)s\n",
                        school=school.name, date=format_date(certificate.expires_on, "long"), link=link))
        count += 1
    return count


@jobs.job("default")
def refresh_summaries_nightly() -> int:
    """Refresh every school's summaries: flags that depend on the date (overdue actions, inactivity)
    move on even when nobody changes anything."""
    with held("refresh-summaries", timedelta(hours=3)) as mine:
        if not mine:
            return 0
        count = refresh_all()
        db.session.commit()
        return count
