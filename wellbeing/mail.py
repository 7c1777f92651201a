"""Outgoing e-mail: SMTP when ``MAIL_SERVER`` is set, otherwise a local outbox and the log.

Mails are sent by a job so a slow mail server never holds up a request.
"""
from __future__ import annotations

import logging
import secrets
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app

from wellbeing import jobs

log = logging.getLogger(__name__)


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    settings = current_app.extensions["wellbeing.settings"]
    message = EmailMessage()
    message["From"] = settings.mail_sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="welbevinden.local")
    message.set_content(body)
    return message


@jobs.job("mail")
def deliver(to: str, subject: str, body: str) -> None:
    settings = current_app.extensions["wellbeing.settings"]
    message = build_message(to, subject, body)
    if settings.mail_server:
        with smtplib.SMTP(settings.mail_server, settings.mail_port, timeout=30) as smtp:
            if settings.mail_use_tls:
                smtp.starttls()
            if settings.mail_username:
                smtp.login(settings.mail_username, settings.mail_password or "")
            smtp.send_message(message)
        return
    outbox = settings.instance_path / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{message['Message-ID'].strip('<>').split('@')[0]}-{secrets.token_hex(3)}.eml"
    path.write_bytes(bytes(message))
    log.info("mail to %s written to %s\n%s", to, path, body)


def send(to: str, subject: str, body: str) -> None:
    """Queue an e-mail (inline without Redis)."""
    jobs.enqueue(deliver, to, subject, body)
