"""The respondent's side: no account, a code or link, a page per element, autosave, resumable.

Nothing here reveals which school a code belongs to beyond what the respondent already knows.
"""
from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import select

from wellbeing import db
from wellbeing.db import utcnow
from wellbeing.extensions import csrf
from wellbeing.labels import locale_code
from wellbeing.rounds import service
from wellbeing.rounds.autosave import save as save_now
from wellbeing.rounds.forms import CATEGORY_LABELS, CodeEntryForm
from wellbeing.rounds.models import Answer, Category, Respondent, RoundStatus
from wellbeing.summaries import refresh as summaries

bp = Blueprint("respond", __name__, url_prefix="/r")
_SAVED = '{"saved": true}\n'   # autosave's answer, thousands of times a minute: no need to serialise it


def _refusal(respondent: Respondent | None) -> str | None:
    """Why this code cannot be used now, in the respondent's language; None when it can."""
    if respondent is None:
        return _("This code is not known. Check the code on your sheet or in your e-mail.")
    if respondent.submitted_at is not None:
        return _("This code has been used already: the answers were sent. Thank you!")
    if respondent.round.status != RoundStatus.OPEN:
        return _("This round is closed; answers can no longer be given. Ask your coordinator if you think this is wrong.")
    return None


def _elements(respondent: Respondent):
    return service.instrument_of(respondent.round).elements_for(respondent.round.school.school_type.value)


@bp.route("", methods=["GET", "POST"])
def enter():
    form = CodeEntryForm()
    if form.validate_on_submit():
        code = service.normalise_code(form.code.data)
        problem = _refusal(service.respondent_for_code(code))
        if problem is None:
            return redirect(url_for("respond.page", code=code, number=1))
        form.code.errors.append(problem)
    return render_template("respond/enter.html", form=form), 400 if form.errors else 200


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


@bp.route("/<code>/<int:number>", methods=["GET", "POST"])
def page(code: str, number: int):
    respondent = service.respondent_for_code(code)
    problem = _refusal(respondent)
    if problem is not None:
        return render_template("respond/refused.html", message=problem), 410 if respondent else 404
    elements = _elements(respondent)
    if not 1 <= number <= len(elements):
        return redirect(url_for("respond.page", code=code, number=1))
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
                return redirect(url_for("respond.page", code=code, number=number - 1))
            if number < len(elements):
                return redirect(url_for("respond.page", code=code, number=number + 1))
            return redirect(url_for("respond.review", code=code))
    return render_template("respond/page.html", respondent=respondent, code=code, number=number,
                           elements=elements, element=element, answers=_answers(respondent), errors=errors,
                           instrument=service.instrument_of(respondent.round), locale=locale_code(),
                           school_type=respondent.round.school.school_type.value,
                           category_labels=CATEGORY_LABELS), 400 if errors else 200


@bp.route("/<code>/autosave", methods=["POST"])
@csrf.exempt
def autosave(code: str):
    """Save one answer as soon as it is chosen (JavaScript convenience; the form works without it).

    The hottest path of the product; ``wellbeing.rounds.autosave`` says how it is kept fast.
    No CSRF token: cross-site request forgery rides on credentials the browser adds by itself
    (cookies), and this request carries none. Its only credential is the secret code in the URL,
    which a forging site would have to know, and then it could post the answer itself anyway.
    """
    valid, value = _parse_value(request.form.get("value", ""))
    if valid:
        item_id = request.form.get("item", "")
        outcome = db.autocommit(lambda connection: save_now(connection, code, item_id, value))
        if outcome == "saved":
            return Response(_SAVED, mimetype="application/json")
    if not valid or outcome == "invalid":
        return jsonify(error=_("This answer could not be saved: unknown statement or answer.")), 400
    # The rare refusal, explained as the pages explain it.
    problem = _refusal(service.respondent_for_code(code))
    return jsonify(error=problem or _("This answer could not be saved. Reload the page.")), 409


@bp.route("/<code>/review", methods=["GET", "POST"])
def review(code: str):
    respondent = service.respondent_for_code(code)
    problem = _refusal(respondent)
    if problem is not None:
        return render_template("respond/refused.html", message=problem), 410 if respondent else 404
    elements = _elements(respondent)
    answers = _answers(respondent)
    school_type = respondent.round.school.school_type.value
    open_items = [(n, i) for n, e in enumerate(elements, start=1) for i in e.items_for(school_type) if i.id not in answers]
    if request.method == "POST":
        respondent.submitted_at = utcnow()
        db.session.commit()
        summaries.schedule(respondent.round.school_id)
        return render_template("respond/thanks.html")
    return render_template("respond/review.html", code=code, elements=elements, open_items=open_items,
                           locale=locale_code(), total=sum(len(e.items_for(school_type)) for e in elements),
                           answered=len(answers))
