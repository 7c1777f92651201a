"""The accessibility statement, after the national model (Besluit digitale toegankelijkheid overheid).

The statement is a document, not interface text: it is written whole in Dutch and in English
(``about/accessibility.<locale>.html``), so each reads as one text, as the register expects.
"""
from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, render_template
from flask_babel import get_locale

bp = Blueprint("about", __name__)

# The date of the self-audit the statement rests on (docs/accessibility-audit.md) and of the statement.
AUDITED_ON = date(2026, 12, 1)
STATEMENT_ON = date(2026, 12, 1)


@bp.route("/toegankelijkheid")
def accessibility():
    locale = "en" if str(get_locale()) == "en" else "nl"
    settings = current_app.extensions["wellbeing.settings"]
    return render_template(f"about/accessibility.{locale}.html", contact=settings.accessibility_contact,
                           audited_on=AUDITED_ON, statement_on=STATEMENT_ON)
