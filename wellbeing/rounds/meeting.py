"""Meeting mode: the team walks through the statements on a projector, disagreement first, and the
coordinator records what the team agrees as it decides. Nothing is agreed until it is recorded."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from wellbeing import access, db
from wellbeing.rounds import discussion, service
from wellbeing.rounds.forms import PRIORITY_LABELS, AgreementForm
from wellbeing.rounds.models import Priority, RoundStatus
from wellbeing.rounds.views import _minimum, _round

bp = Blueprint("meeting", __name__, url_prefix="/school/<int:school_id>/rounds/<int:round_id>/meeting")


def _show() -> str:
    show = request.args.get("show")
    return show if show in discussion.FILTERS else "all"


def _statements(round_) -> tuple[object, list[discussion.Statement]]:
    picture = service.team_picture(round_, _minimum())
    everything = discussion.statements(service.instrument_of(round_), round_.school.school_type.value,
                                       picture.items if picture.shown else {}, service.agreements(round_))
    return picture, everything


@bp.route("")
@login_required
def start(school_id: int, round_id: int):
    """Where the meeting begins: how far the team is, which list to walk, and the first statement."""
    round_ = _round(school_id, round_id)
    picture, everything = _statements(round_)
    firsts = {show: next(iter(discussion.listed(everything, show, "disagreement")), None)
              for show in discussion.FILTERS}
    return render_template("rounds/meeting_start.html", round=round_, school=round_.school, picture=picture,
                           progress=discussion.progress(everything), total=len(everything), firsts=firsts,
                           differing=sum(1 for s in everything if s.differs))


@bp.route("/<int:number>", methods=["GET", "POST"])
@login_required
def statement(school_id: int, round_id: int, number: int):
    """One statement, big. POST records the team's agreement (or puts it back to not discussed) and
    goes on to the next statement of the list."""
    round_ = _round(school_id, round_id)
    show = _show()
    picture, everything = _statements(round_)
    if not 1 <= number <= len(everything):
        abort(404)
    current = everything[number - 1]
    previous, following = discussion.neighbours(everything, current, show)
    locked = round_.status == RoundStatus.FINALISED or not access.can_edit_school(current_user, round_.school)
    form = AgreementForm()
    if request.method == "GET" and current.agreement is not None:
        form.score.data = current.agreement.agreed_score
        form.priority.data = current.agreement.priority.value
        form.rationale.data = current.agreement.rationale
    if request.method == "POST":
        if round_.status == RoundStatus.FINALISED:
            flash(_("This round is finalised; the agreements can no longer change."), "error")
            return redirect(url_for("meeting.statement", school_id=school_id, round_id=round_id, number=number,
                                    show=show))
        if request.form.get("action") == "forget":  # CSRFProtect has checked the token already
            service.forget_consensus(round_, current.item.id)
            db.session.commit()
            flash(_("Statement %(n)d is not discussed again.", n=number), "success")
            return redirect(url_for("meeting.statement", school_id=school_id, round_id=round_id, number=number,
                                    show=show))
        if request.form.get("action") == "record" and form.validate_on_submit():
            service.save_consensus(round_, current.item.id, form.score.data, form.rationale.data or "",
                                   Priority(form.priority.data))
            db.session.commit()
            flash(_("The agreement on statement %(n)d is recorded.", n=number), "success")
            if following is None:
                return redirect(url_for("meeting.start", school_id=school_id, round_id=round_id))
            return redirect(url_for("meeting.statement", school_id=school_id, round_id=round_id,
                                    number=following.number, show=show))
        if not form.errors:
            abort(400)
    listed = discussion.listed(everything, show, "disagreement")
    position = listed.index(current) + 1 if current in listed else None
    return render_template("rounds/meeting.html", round=round_, school=round_.school, picture=picture,
                           current=current, previous=previous, following=following, show=show, form=form,
                           locked=locked, position=position, count=len(listed),
                           progress=discussion.progress(everything), total=len(everything),
                           scale=service.instrument_of(round_).scale, priority_labels=PRIORITY_LABELS,
                           bar=discussion.bar(current.picture) if current.picture else []), 400 if form.errors else 200
