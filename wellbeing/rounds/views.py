"""The coordinator's side of a round: open, invite, follow, close, team picture, consensus, finalise."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from wellbeing import access, audit, csvout, db, mail
from wellbeing.access import Level
from wellbeing.labels import locale_code
from wellbeing.rounds import discussion, service
from wellbeing.rounds.forms import PRIORITY_LABELS, CodesForm, InviteEmailsForm, OpenRoundForm
from wellbeing.rounds.models import Category, Round, RoundMode, RoundStatus
from wellbeing.schoolyear import SchoolYear

bp = Blueprint("rounds", __name__, url_prefix="/school/<int:school_id>/rounds")


def _school(school_id: int):
    """The school at content level; a change (any POST) only by its own coordinators."""
    if request.method == "POST":
        return access.get_school_to_edit(current_user, school_id)
    return access.get_school(current_user, school_id, Level.CONTENT)


def _round(school_id: int, round_id: int) -> Round:
    """The round, only if it belongs to a school the user may see in full; otherwise 404."""
    return access.get_child(Round, round_id, _school(school_id))


def _minimum() -> int:
    return current_app.extensions["wellbeing.settings"].min_respondents


@bp.route("", methods=["GET", "POST"])
@login_required
def index(school_id: int):
    school = _school(school_id)
    current = SchoolYear.current()
    form = OpenRoundForm()
    form.school_year.choices = [(str(y), str(y)) for y in (current + 1, current, current - 1)]
    if request.method == "GET":
        form.school_year.data = str(current)
    if form.validate_on_submit():
        try:
            round_ = service.open_round(school, SchoolYear.parse(form.school_year.data), RoundMode(form.mode.data),
                                        current_user)
        except service.RoundError:
            form.school_year.errors.append(_("There is a round for this school year already."))
        else:
            db.session.commit()
            flash(_("The round for %(year)s is open.", year=round_.school_year), "success")
            return redirect(url_for("rounds.detail", school_id=school.id, round_id=round_.id))
    rounds = db.session.scalars(select(Round).where(Round.school_id == school.id)
                                .order_by(Round.school_year.desc())).all()
    checklist = service.registry().latest(service.CHECKLIST_ID)
    return render_template("rounds/index.html", school=school, rounds=rounds, form=form,
                           progress={r.id: service.progress(r) for r in rounds},
                           years=service.years_overview(school, _minimum()),
                           elements=checklist.elements_for(school.school_type.value),
                           can_edit=access.can_edit_school(current_user, school)), 400 if form.errors else 200


def _detail_page(round_: Round, status: int = 200, codes_form=None, email_form=None):
    return render_template("rounds/detail.html", round=round_, school=round_.school,
                           progress=service.progress(round_), codes_form=codes_form or CodesForm(),
                           email_form=email_form or InviteEmailsForm(), invitees=service.invitees(round_),
                           minimum=_minimum(), agreed=len(service.agreements(round_)),
                           statements=len(service.item_ids(round_.instrument_id, round_.instrument_version,
                                                           round_.school.school_type.value)),
                           can_edit=access.can_edit_school(current_user, round_.school)), status


def _entry_url() -> str:
    return current_app.extensions["wellbeing.settings"].base_url + url_for("respond.enter")


@bp.route("/<int:round_id>")
@login_required
def detail(school_id: int, round_id: int):
    return _detail_page(_round(school_id, round_id))


@bp.route("/<int:round_id>/invite", methods=["POST"])
@login_required
def invite(school_id: int, round_id: int):
    """Mail each address its own link. The list is kept for reminders, never linked to a code."""
    round_ = _round(school_id, round_id)
    form = InviteEmailsForm()
    if form.validate_on_submit():
        valid, invalid = form.parsed()
        if invalid:
            form.addresses.errors.append(_("These are not e-mail addresses: %(list)s. Nothing was sent.",
                                           list=", ".join(invalid[:10])))
        elif len(valid) > service.MAX_CODES:
            form.addresses.errors.append(_("At most %(max)d addresses at once.", max=service.MAX_CODES))
        else:
            try:
                pairs = service.invite_by_email(round_, valid)
            except service.RoundError:
                flash(_("E-mail invitations are for rounds in which each member answers alone, while open."), "error")
                return _detail_page(round_, 400, email_form=form)
            for address, code in pairs:
                link = current_app.extensions["wellbeing.settings"].base_url + url_for(
                    "respond.link", code=code)
                mail.send(address, _("Wellbeing checklist of %(school)s", school=round_.school.name),
                          _("Your school asks every team member to fill in the wellbeing checklist, anonymously; "
                            "it takes about ten minutes. Your personal link (use it once; you can stop and come "
                            "back while the round is open):\n%(link)s\n", link=link))
            db.session.commit()  # the codes and their mails together
            flash(ngettext("%(num)d invitation sent; addresses already invited were skipped.",
                           "%(num)d invitations sent; addresses already invited were skipped.", len(pairs)), "success")
            return redirect(url_for("rounds.detail", school_id=school_id, round_id=round_id))
    return _detail_page(round_, 400, email_form=form)


@bp.route("/<int:round_id>/remind", methods=["POST"])
@login_required
def remind(school_id: int, round_id: int):
    """Remind the whole list: no one can tell from a reminder who has answered."""
    round_ = _round(school_id, round_id)
    addresses = service.invitees(round_)
    if round_.status != RoundStatus.OPEN or not addresses:
        flash(_("Reminders go to the invited addresses while the round is open."), "error")
        return redirect(url_for("rounds.detail", school_id=school_id, round_id=round_id))
    audit.record("round.reminder", actor=current_user, school_id=round_.school_id, detail=str(len(addresses)))
    for address in addresses:
        mail.send(address, _("Reminder: wellbeing checklist of %(school)s", school=round_.school.name),
                  _("If you have not filled in the wellbeing checklist yet, please use the link from the "
                    "earlier e-mail. If you have already done so: thank you, you can ignore this message.\n"))
    db.session.commit()
    flash(ngettext("A reminder was sent to the %(num)d invited address.",
                   "A reminder was sent to all %(num)d invited addresses.", len(addresses)), "success")
    return redirect(url_for("rounds.detail", school_id=school_id, round_id=round_id))


@bp.route("/<int:round_id>/codes", methods=["POST"])
@login_required
def codes(school_id: int, round_id: int):
    round_ = _round(school_id, round_id)
    form = CodesForm()
    if not form.validate_on_submit():
        return _detail_page(round_, 400, codes_form=form)
    try:
        plain = service.issue_codes(round_, form.count.data)
    except service.RoundError:
        form.count.errors.append(_("Codes can only be made while the round is open; a team-meeting round has "
                                   "exactly one code."))
        return _detail_page(round_, 400, codes_form=form)
    db.session.commit()
    return render_template("rounds/codes.html", round=round_, school=round_.school, codes=plain,
                           entry_url=_entry_url())


@bp.route("/<int:round_id>/closes-on", methods=["POST"])
@login_required
def closes_on(school_id: int, round_id: int):
    """The planned closing day: the invited team gets one reminder a few days before it."""
    from datetime import date, timedelta

    round_ = _round(school_id, round_id)
    raw = request.form.get("closes_on", "").strip()
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        flash(_("Give the closing day as a date, for example 2027-03-15."), "error")
        return redirect(url_for("rounds.detail", school_id=school_id, round_id=round_id))
    if day is not None and not date.today() <= day <= date.today() + timedelta(days=366):
        flash(_("The closing day must lie between today and a year from now."), "error")
        return redirect(url_for("rounds.detail", school_id=school_id, round_id=round_id))
    round_.closes_on = day
    db.session.commit()
    flash(_("The planned closing day is saved.") if day else _("The planned closing day is removed."), "success")
    return redirect(url_for("rounds.detail", school_id=school_id, round_id=round_id))


@bp.route("/<int:round_id>/status", methods=["POST"])
@login_required
def status(school_id: int, round_id: int):
    round_ = _round(school_id, round_id)
    target = {"close": RoundStatus.CLOSED, "reopen": RoundStatus.OPEN, "finalise": RoundStatus.FINALISED}.get(
        request.form.get("action", ""))
    if target is None:
        abort(400)
    try:
        service.set_status(round_, target, current_user)
    except service.RoundError:
        flash(_("That is not possible in the round's current state."), "error")
        return redirect(url_for("rounds.detail", school_id=school_id, round_id=round_id))
    db.session.commit()
    flash({RoundStatus.CLOSED: _("The round is closed: no more answers are accepted."),
           RoundStatus.OPEN: _("The round is open again."),
           RoundStatus.FINALISED: _("The round is finalised and its answers are locked.")}[target], "success")
    return redirect(url_for("rounds.detail", school_id=school_id, round_id=round_id))


@bp.route("/<int:round_id>/team")
@login_required
def team(school_id: int, round_id: int):
    """The discussion view: per statement the released distribution as a diverging bar with its
    numbers, whether the team agreed, filtered and sorted by disagreement. Read-only: agreements are
    recorded in meeting mode."""
    round_ = _round(school_id, round_id)
    instrument = service.instrument_of(round_)
    category = request.args.get("category")
    try:
        category = Category(category) if category else None
    except ValueError:
        category = None
    show = request.args.get("show") if request.args.get("show") in discussion.FILTERS else "all"
    sort = request.args.get("sort") if request.args.get("sort") in discussion.SORTS else "checklist"
    minimum = _minimum()
    picture = service.team_picture(round_, minimum, category)
    school_type = round_.school.school_type.value
    everything = discussion.statements(instrument, school_type, picture.items if picture.shown else {},
                                       service.agreements(round_))
    return render_template("rounds/team.html", round=round_, school=round_.school, instrument=instrument,
                           picture=picture, category=category, minimum=minimum, show=show, sort=sort,
                           statements=discussion.listed(everything, show, sort),
                           progress=discussion.progress(everything), total=len(everything),
                           differing=sum(1 for s in everything if s.differs), priority_labels=PRIORITY_LABELS,
                           discussion_bar=discussion.bar, school_type=school_type,
                           can_edit=access.can_edit_school(current_user, round_.school))


def _plain(number: float | None) -> str:
    """A median or spread as a spreadsheet reads it: "4", "3.5", never "4.0"."""
    return "" if number is None else format(number, "g")


@bp.route("/<int:round_id>/export.csv")
@login_required
def export_csv(school_id: int, round_id: int):
    """The school's own round as CSV: team aggregates (only above the threshold) and agreed scores."""
    round_ = _round(school_id, round_id)
    instrument = service.instrument_of(round_)
    picture = service.team_picture(round_, _minimum())
    consensus = service.agreements(round_)
    locale = locale_code()
    # The same released picture as the page: a statement with too few answers has empty figures.
    rows = [[_("School year"), _("Instrument"), _("Version"), _("Version of the picture"), _("Element id"),
             _("Statement id"), _("Statement"), _("Respondents"), _("Shown"), _("Answer 1"), _("Answer 2"),
             _("Answer 3"), _("Answer 4"), _("Don't know"), _("Median"), _("Spread"), _("The team differs"),
             _("Agreement"), _("Agreed score"), _("Priority"), _("Rationale")]]
    school_type = round_.school.school_type.value
    for element in instrument.elements_for(school_type):
        for item in element.items_for(school_type):
            p = picture.items.get(item.id) if picture.shown else None
            c = consensus.get(item.id)
            counts = [p.counts[v] for v in (1, 2, 3, 4)] + [p.dont_know] if p else [""] * 5
            rows.append([round_.school_year, round_.instrument_id, round_.instrument_version,
                         picture.release or "", element.id, item.id, item.text[locale],
                         picture.respondents if picture.shown else "", _("yes") if p else _("no"), *counts,
                         _plain(p.median) if p else "", _plain(p.spread) if p else "",
                         (_("yes") if p.disagreement else _("no")) if p else "",
                         _("agreed") if c else _("not discussed"),
                         c.agreed_score if c and c.agreed_score is not None else "",
                         str(PRIORITY_LABELS[c.priority]) if c else "", c.rationale if c else ""])
    filename = f"checklist-{round_.school.brin}{round_.school.vestiging}-{round_.school_year}.csv"
    return csvout.response(rows, filename)
