"""The respondent's side: no account, a code or link, a page per element, autosave, resumable.

A printed or mailed code is a ticket to enter, not a key to read answers: its first use binds the
respondent to that browser (a random secret in a cookie, stored only hashed) and the code is
forgotten, so it opens nothing afterwards, for the coordinator who printed it least of all. A used,
a sent and an unknown code get the same answer. To continue on another device the respondent asks
for a private resume code of their own. Nothing here reveals which school a code belongs to beyond
what the respondent already knows.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wellbeing import db
from wellbeing.extensions import csrf
from wellbeing.labels import locale_code
from wellbeing.rounds import service
from wellbeing.rounds.autosave import save as save_now
from wellbeing.rounds.forms import CATEGORY_LABELS, CodeEntryForm
from wellbeing.rounds.models import Answer, Category, Respondent

bp = Blueprint("respond", __name__, url_prefix="/r")
_SAVED = '{"saved": true}\n'   # autosave's answer, thousands of times a minute: no need to serialise it
COOKIE = "wb_respondent"
COOKIE_DAYS = 180


def _secret() -> str | None:
    return request.cookies.get(COOKIE)


def _bound() -> Respondent | None:
    return service.respondent_for_secret(_secret())


def _not_usable_code() -> str:
    # One message for a used, a sent, an unknown code and one of a closed round: the answer must
    # not tell whoever holds the sheet which colleague has started or sent.
    return _("This code cannot be used. A code works once: if you have started already, continue in the "
             "browser where you started, or with the resume code you made there.")


def _refused(respondent: Respondent | None):
    """The page for a browser that holds no usable answers; None when it does."""
    if respondent is None:
        return render_template("respond/refused.html", message=_(
            "There are no answers in progress in this browser. Enter your code to start.")), 404
    if not service.usable(respondent):
        return render_template("respond/refused.html", message=_(
            "This round is closed; answers can no longer be given. Ask your coordinator if you think this is "
            "wrong.")), 410
    return None


def _elements(respondent: Respondent):
    return service.instrument_of(respondent.round).elements_for(respondent.round.school.school_type.value)


def _where_stopped(respondent: Respondent) -> str:
    """The first part with a statement not yet answered; the review page when there is none."""
    answered = _answers(respondent)
    school_type = respondent.round.school.school_type.value
    for number, element in enumerate(_elements(respondent), start=1):
        if any(item.id not in answered for item in element.items_for(school_type)):
            return url_for("respond.page", number=number)
    return url_for("respond.review")


def _entry_page(form: CodeEntryForm, status: int = 200):
    bound = _bound()
    return render_template("respond/enter.html", form=form, minimum=current_app.extensions[
        "wellbeing.settings"].min_respondents,
        continue_url=_where_stopped(bound) if service.usable(bound) else None), status


@bp.route("", methods=["GET", "POST"])
def enter():
    """Enter a code. Its first use binds the answers to this browser and forgets the code."""
    form = CodeEntryForm()
    if form.validate_on_submit():
        respondent = service.respondent_for_code(form.code.data)
        secret = None
        if service.usable(respondent):
            try:
                secret = service.bind(respondent)
                db.session.commit()
            except (service.RoundError, IntegrityError):  # the same code entered twice at the same moment
                db.session.rollback()
                secret = None
        if secret is not None:
            response = redirect(url_for("respond.page", number=1))
            response.set_cookie(COOKIE, secret, max_age=COOKIE_DAYS * 86400, path=bp.url_prefix, httponly=True,
                                samesite="Strict", secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
            return response
        form.code.errors.append(_not_usable_code())
    return _entry_page(form, 400 if form.errors else 200)


@bp.route("/<code>", methods=["GET"])
@bp.route("/<code>/<int:number>", methods=["GET"])
def link(code: str, number: int = 1):
    """A mailed link: the entry form with the code filled in. Opening it changes nothing (mail
    scanners open links too) and looks the same whatever the code; the button uses it."""
    form = CodeEntryForm(formdata=None, code=service.normalise_code(code)[:20])
    return _entry_page(form)


def _answers(respondent: Respondent) -> dict[str, int | None]:
    return dict(db.session.execute(select(Answer.item_id, Answer.value)
                                   .where(Answer.respondent_id == respondent.id)).all())


def _parse_value(raw: str) -> tuple[bool, int | None]:
    """('1'..'4' -> value, 'dk' -> None); returns (valid, value)."""
    if raw == "dk":
        return True, None
    if raw in ("1", "2", "3", "4"):
        return True, int(raw)
    return False, None


@bp.route("/answers/<int:number>", methods=["GET", "POST"])
def page(number: int):
    respondent = _bound()
    refused = _refused(respondent)
    if refused is not None:
        return refused
    elements = _elements(respondent)
    if not 1 <= number <= len(elements):
        return redirect(url_for("respond.page", number=1))
    element = elements[number - 1]
    errors: dict[str, str] = {}
    if request.method == "POST":
        if number == 1 and "category" in request.form:
            raw = request.form.get("category", "")
            respondent.category = Category(raw) if raw in {c.value for c in Category} else None
        for item in element.items_for(respondent.round.school.school_type.value):
            raw = request.form.get(f"item-{item.id}")
            if raw is None or raw == "":
                continue
            valid, value = _parse_value(raw)
            if not valid:
                errors[item.id] = _("Choose one of the answers.")
                continue
            service.save_answer(respondent, item.id, value)
        db.session.commit()
        if not errors:
            target = request.form.get("go", "next")
            if target == "previous" and number > 1:
                return redirect(url_for("respond.page", number=number - 1))
            if number < len(elements):
                return redirect(url_for("respond.page", number=number + 1))
            return redirect(url_for("respond.review"))
    return render_template("respond/page.html", respondent=respondent, number=number,
                           elements=elements, element=element, answers=_answers(respondent), errors=errors,
                           instrument=service.instrument_of(respondent.round), locale=locale_code(),
                           school_type=respondent.round.school.school_type.value,
                           category_labels=CATEGORY_LABELS), 400 if errors else 200


@bp.route("/answers/autosave", methods=["POST"])
@csrf.exempt
def autosave():
    """Save one answer as soon as it is chosen (JavaScript convenience; the form works without it).

    The hottest path of the product; ``wellbeing.rounds.autosave`` says how it is kept fast.
    No CSRF token: the credential is the browser's cookie, sent with ``SameSite=Strict``, so a
    request another site makes the browser send carries no cookie and saves nothing.
    """
    valid, value = _parse_value(request.form.get("value", ""))
    secret = _secret()
    if valid and secret:
        item_id = request.form.get("item", "")
        outcome = db.autocommit(lambda connection: save_now(connection, secret, item_id, value))
        if outcome == "saved":
            return Response(_SAVED, mimetype="application/json")
        if outcome == "invalid":
            return jsonify(error=_("This answer could not be saved: unknown statement or answer.")), 400
    elif not valid:
        return jsonify(error=_("This answer could not be saved: unknown statement or answer.")), 400
    respondent = _bound()
    if respondent is not None and not service.usable(respondent):
        return jsonify(error=_("This round is closed; answers can no longer be given. Ask your coordinator if "
                               "you think this is wrong.")), 409
    return jsonify(error=_("This answer could not be saved. Reload the page.")), 409


@bp.route("/answers/resume-code", methods=["POST"])
def resume():
    """A private code to continue on another device; shown once, stored hashed."""
    respondent = _bound()
    refused = _refused(respondent)
    if refused is not None:
        return refused
    code = service.resume_code(respondent)
    db.session.commit()
    return render_template("respond/resume.html", code=code)


@bp.route("/answers/review", methods=["GET", "POST"])
def review():
    respondent = _bound()
    refused = _refused(respondent)
    if refused is not None:
        return refused
    elements = _elements(respondent)
    answers = _answers(respondent)
    school_type = respondent.round.school.school_type.value
    open_items = [(n, i) for n, e in enumerate(elements, start=1) for i in e.items_for(school_type) if i.id not in answers]
    if request.method == "POST":
        service.submit(respondent)
        db.session.commit()
        response = Response(render_template("respond/thanks.html"))
        response.delete_cookie(COOKIE, path=bp.url_prefix)
        return response
    return render_template("respond/review.html", elements=elements, open_items=open_items,
                           locale=locale_code(), total=sum(len(e.items_for(school_type)) for e in elements),
                           answered=len(answers))
