"""Error pages. The 4xx pages use the normal layout; the 500 and 503 pages cannot fail: they take
the language from the request alone (the language cookie, then Accept-Language), never from the
logged-in user, and touch neither the database nor the session, so they show when the database is
the problem. An unreachable database (OperationalError and kin) is a 503 with Retry-After.
"""
from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request, session
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exc as sa_exc

from wellbeing import db
from wellbeing.i18n import LOCALES
from wellbeing.inputs import InputRefused

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30
#: Errors that mean "the database cannot be reached now", not "this request is wrong".
UNREACHABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)
#: The last resort, when even the template cannot be rendered.
BARE = ("<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\"><title>Welbevinden in beeld</title>"
        "<h1>Er ging iets mis / Something went wrong</h1><p>Probeer het over een minuut opnieuw. / "
        "Try again in a minute.</p></html>")


def request_locale() -> str:
    """The language of the request without the user: the language cookie, then the browser's."""
    try:
        chosen = session.get("locale")
    except Exception:  # noqa: BLE001 - a broken cookie must not break the error page
        chosen = None
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or "nl"


def failsafe_page(code: int, title, text, headers: dict[str, str] | None = None):
    """Render the lazy ``title`` and ``text`` in the request's language; plain HTML if that fails."""
    _forget_database()
    try:
        locale = request_locale()
        with force_locale(locale):
            # Straight from the environment: render_template would run the context processors, and
            # Flask-Login's loads the user from the database.
            body = current_app.jinja_env.get_template("errors/failsafe.html").render(
                lang=locale, title=str(title), text=str(text), home=_("Go to the home page"))
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        log.exception("the error page could not be rendered")
        body = BARE
    return body, code, {"Cache-Control": "no-store", **(headers or {})}


def _forget_database() -> None:
    """Drop the failed transaction without letting a second failure escape."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001
        log.warning("rollback after an error failed as well", exc_info=True)


def server_error(error):
    if isinstance(getattr(error, "original_exception", None), UNREACHABLE):  # e.g. from inside a 404 page
        return database_unreachable(error.original_exception)
    return failsafe_page(500, _l("Something went wrong"),
                         _l("An unexpected error occurred. Reload the page to see what was saved, then try "
                            "again."))


def database_unreachable(error):
    log.error("database unreachable: %s", type(getattr(error, "orig", None) or error).__name__)
    return failsafe_page(503, _l("Temporarily unavailable"),
                         _l("The service cannot reach its database at the moment. Nothing was lost; try again in a "
                            "minute."), {"Retry-After": str(RETRY_AFTER_SECONDS)})


def register(app: Flask) -> None:
    def page(code: int, title: str, text: str):
        return render_template("errors/error.html", code=code, title=title, text=text), code

    app.register_error_handler(400, lambda e: page(400, _("Bad request"),
                                                   _("The request could not be understood. Go back and try again.")))
    app.register_error_handler(403, lambda e: page(403, _("Not allowed"),
                                                   _("You may look at this, but only the school's coordinators "
                                                     "can change it.")))
    app.register_error_handler(404, lambda e: page(404, _("Page not found"),
                                                   _("This page does not exist, or you have no access to it.")))
    app.register_error_handler(405, lambda e: page(405, _("Not allowed"), _("This action is not possible here.")))
    app.register_error_handler(413, lambda e: page(413, _("File too large"),
                                                   _("The file is larger than allowed. Choose a smaller file.")))
    app.register_error_handler(500, server_error)
    for error in UNREACHABLE:
        app.register_error_handler(error, database_unreachable)

    from flask_wtf.csrf import CSRFError

    app.register_error_handler(CSRFError, lambda e: page(
        400, _("Form expired"), _("The form was open too long or was changed. Go back, reload and try again.")))
    app.register_error_handler(InputRefused, lambda e: page(
        400, _("Input refused"), _("What you sent contains a control character (such as a NUL byte) that no text "
                                   "may hold. Nothing was saved. Remove it (retype the text rather than pasting it) "
                                   "and try again.")))

