"""Locale selection and the language switch. Dutch is the default; English is complete."""
from __future__ import annotations

from contextlib import contextmanager

from flask import Blueprint, Flask, redirect, request, session
from flask_babel import force_locale, get_locale
from flask_login import current_user

from wellbeing import db
from wellbeing.inputs import safe_next

LOCALES = ("nl", "en")
bp = Blueprint("i18n", __name__)


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return "nl"


@contextmanager
def in_locale(locale: str):
    """Render e-mails and documents in the recipient's language."""
    with force_locale(locale if locale in LOCALES else "nl"):
        yield


@bp.route("/language", methods=["POST"])
def switch_language():
    locale = request.form.get("locale", "nl")
    if locale in LOCALES:
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(LOCALES=LOCALES, get_locale=get_locale)
