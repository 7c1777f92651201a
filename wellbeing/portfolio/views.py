"""The GSA portfolio: where each assigned school stands, which one needs a call first, and visit notes.

Progress-level facts only, read from the summary table (``SchoolStatus``); nothing here opens a
school's content, so nothing here writes a content view to the school's log.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from wellbeing import access, audit, db
from wellbeing.progress import phase as phases
from wellbeing.access import Level
from wellbeing.accounts.models import PortfolioAssignment, Role
from wellbeing.portfolio import triage
from wellbeing.portfolio.forms import VisitNoteForm
from wellbeing.portfolio.models import VisitNote
from wellbeing.summaries.models import SchoolStatus
from wellbeing.tenancy.models import School, SchoolType

bp = Blueprint("portfolio", __name__)

FLAG_LABELS = {
    triage.Flag.NO_ACTIVITY: _l("No activity in 90 days"),
    triage.Flag.ROUND_STALLED: _l("Round open for a long time"),
    triage.Flag.CERTIFICATE_EXPIRING: _l("Certificate expires soon"),
    triage.Flag.PRIORITIES_WITHOUT_ACTION: _l("Priorities without action"),
}


def flag_label(flag: triage.Flag) -> str:
    return str(FLAG_LABELS[flag])


@dataclass(frozen=True)
class Row:
    school: School
    status: SchoolStatus | None
    triage: triage.Triage


def _require_gsa() -> None:
    if not current_user.has_role(Role.GSA):
        abort(404)


def _assigned():
    """Ids of the schools in the current user's own portfolio (not a co-adviser's, not coordinated ones)."""
    return select(PortfolioAssignment.school_id).where(PortfolioAssignment.user_id == current_user.id)


def _portfolio_school(school_id: int) -> School:
    """The school, if it is in the current user's own portfolio; 404 otherwise (also for co-GSAs' schools)."""
    _require_gsa()
    school = access.get_school(current_user, school_id, Level.PROGRESS)
    if db.session.scalar(_assigned().where(PortfolioAssignment.school_id == school.id)) is None:
        abort(404)
    return school


def _rows(today: date) -> list[Row]:
    """Every school in the portfolio with its status, in one query, sorted by triage."""
    query = (access.schools_query(current_user, Level.PROGRESS)
             .where(School.id.in_(_assigned()))
             .outerjoin(SchoolStatus, SchoolStatus.school_id == School.id)
             .add_columns(SchoolStatus)
             .options(joinedload(School.municipality)))
    rows = [Row(school, status, triage.triage(status, today)) for school, status in db.session.execute(query)]
    rows.sort(key=lambda r: (triage.sort_key(r.triage), r.school.name.casefold()))
    return rows


@dataclass(frozen=True)
class Filters:
    municipality_id: int | None
    school_type: str | None
    flagged: bool

    @classmethod
    def from_args(cls, args) -> Filters:
        school_type = args.get("type") or None
        return cls(municipality_id=args.get("municipality", type=int),
                   school_type=school_type if school_type in {t.value for t in SchoolType} else None,
                   flagged=args.get("flagged") == "1")

    def keep(self, row: Row) -> bool:
        return ((self.municipality_id is None or row.school.municipality_id == self.municipality_id)
                and (self.school_type is None or row.school.school_type.value == self.school_type)
                and (not self.flagged or bool(row.triage.flags)))


@bp.route("/portfolio")
@login_required
def index():
    """The portfolio, filtered in memory: a portfolio holds at most a region's few hundred schools,
    and reading them all once gives the total and the municipality options without more queries."""
    _require_gsa()
    today = date.today()
    rows = _rows(today)
    filters = Filters.from_args(request.args)
    municipalities = sorted({r.school.municipality.id: r.school.municipality for r in rows}.values(),
                            key=lambda m: m.name.casefold())
    return render_template("portfolio/index.html", rows=[r for r in rows if filters.keep(r)], total=len(rows),
                           filters=filters, municipalities=municipalities, school_types=list(SchoolType),
                           regions=db.session.scalars(access.regions_query(current_user)).all(), **_helpers())


def _helpers() -> dict:
    return {"flag_label": flag_label, "step_title": lambda n: str(phases.STEPS[n][0])}


def _notes(school: School) -> list[VisitNote]:
    """The school's notes by every GSA who now has it in their portfolio, newest visit first."""
    holders = select(PortfolioAssignment.user_id).where(PortfolioAssignment.school_id == school.id)
    return db.session.scalars(
        select(VisitNote).options(joinedload(VisitNote.author))
        .where(VisitNote.school_id == school.id, VisitNote.author_id.in_(holders))
        .order_by(VisitNote.visited_on.desc(), VisitNote.created_at.desc(), VisitNote.id.desc())).all()


def _notes_page(school: School, form: VisitNoteForm, status: int = 200):
    today = date.today()
    row = db.session.get(SchoolStatus, school.id)
    return render_template("portfolio/notes.html", school=school, status=row, result=triage.triage(row, today),
                           notes=_notes(school), form=form, **_helpers()), status


@bp.route("/portfolio/school/<int:school_id>/notes", methods=["GET", "POST"])
@login_required
def notes(school_id: int):
    school = _portfolio_school(school_id)
    form = VisitNoteForm()
    if not form.validate_on_submit():
        return _notes_page(school, form, 400 if form.errors else 200)
    note = VisitNote(school_id=school.id, author_id=current_user.id, visited_on=form.visited_on.data,
                     text=form.text.data.strip())
    db.session.add(note)
    audit.record("visit_note.added", actor=current_user, school_id=school.id, detail=note.visited_on.isoformat())
    db.session.commit()
    flash(_("The visit note is saved."), "success")
    return redirect(url_for("portfolio.notes", school_id=school.id))


@bp.route("/portfolio/school/<int:school_id>/notes/<int:note_id>/delete", methods=["POST"])
@login_required
def delete_note(school_id: int, note_id: int):
    """Only the author removes a note: 404 for a note of another school, 403 for a co-GSA's note."""
    school = _portfolio_school(school_id)
    note = access.get_child(VisitNote, note_id, school)
    if note.author_id != current_user.id:
        abort(403)
    db.session.delete(note)
    db.session.commit()
    flash(_("The visit note is removed."), "success")
    return redirect(url_for("portfolio.notes", school_id=school.id))
