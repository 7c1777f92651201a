"""The school report (a PDF made by a job, with its status shown while it runs) and data exports."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from wellbeing import access, audit, csvout, db, jobs
from wellbeing.db import utcnow
from wellbeing.labels import locale_code
from wellbeing.reports import exports
from wellbeing.reports.jobs import build_school_report, queued_message
from wellbeing.reports.models import Report, ReportStatus
from wellbeing.reports.xlsx import write_xlsx

bp = Blueprint("reports", __name__, url_prefix="/school/<int:school_id>")
PENDING = (ReportStatus.QUEUED, ReportStatus.RUNNING)
#: A queued report older than this is taken to be lost (a worker died) and may be requested again.
STALE = timedelta(minutes=15)


def _reports(school) -> list[Report]:
    return list(db.session.scalars(select(Report).where(Report.school_id == school.id)
                                   .order_by(Report.requested_at.desc()).limit(10)))


@bp.route("/report")
@login_required
def index(school_id: int):
    school = access.get_school(current_user, school_id)
    reports = _reports(school)
    return render_template("reports/index.html", school=school, reports=reports,
                           pending=any(r.status in PENDING for r in reports),
                           can_edit=access.can_edit_school(current_user, school), parts=exports.PARTS)


@bp.route("/report", methods=["POST"])
@login_required
def request_report(school_id: int):
    school = access.get_school_to_edit(current_user, school_id)
    locale = request.form.get("locale", "nl")
    if locale not in ("nl", "en"):
        abort(400)
    recent = db.session.scalar(select(Report).where(Report.school_id == school.id, Report.status.in_(PENDING),
                                                    Report.requested_at > utcnow() - STALE).limit(1))
    if recent is not None:
        flash(_("A report is already being made. It appears below when it is ready."), "error")
        return redirect(url_for("reports.index", school_id=school.id))
    report = Report(school_id=school.id, locale=locale, requested_by_id=current_user.id)
    db.session.add(report)
    audit.record("report.requested", actor=current_user, school_id=school.id, detail=locale)
    db.session.flush()
    jobs.enqueue(build_school_report, report.id)
    db.session.commit()
    flash(queued_message(), "success")
    return redirect(url_for("reports.index", school_id=school.id))


@bp.route("/report/<int:report_id>.pdf")
@login_required
def download(school_id: int, report_id: int):
    school = access.get_school(current_user, school_id)
    report = access.get_child(Report, report_id, school)
    if report.status != ReportStatus.DONE:
        abort(404)
    name = f"welbevinden-{school.brin}{school.vestiging}-{report.requested_at:%Y%m%d}-{report.locale}.pdf"
    return Response(report.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"})


@bp.route("/report/<int:report_id>.html")
@login_required
def html_version(school_id: int, report_id: int):
    """The accessible HTML version of a finished report: the same data as its PDF, made by the same job."""
    school = access.get_school(current_user, school_id)
    report = access.get_child(Report, report_id, school)
    if report.status != ReportStatus.DONE or not report.html:
        abort(404)
    return render_template("reports/html_version.html", report=report, area=school.name,
                           pdf_url=url_for("reports.download", school_id=school.id, report_id=report.id),
                           back=url_for("reports.index", school_id=school.id))


def _export_name(school, extension: str, part: str = "") -> str:
    return f"welbevinden-{school.brin}{school.vestiging}{'-' + part if part else ''}.{extension}"


@bp.route("/export.xlsx")
@login_required
def export_xlsx(school_id: int):
    school = access.get_school(current_user, school_id)
    lc = locale_code()
    names = exports.sheet_names()
    content = write_xlsx([(names[part], rows) for part, rows in exports.tables(school, lc).items()])
    audit.record("export.downloaded", actor=current_user, school_id=school.id, detail="xlsx")
    db.session.commit()
    return Response(content, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{_export_name(school, "xlsx")}"'})


@bp.route("/export/<part>.csv")
@login_required
def export_csv(school_id: int, part: str):
    school = access.get_school(current_user, school_id)
    if part not in exports.PARTS:
        abort(404)
    rows = exports.tables(school, locale_code())[part]
    audit.record("export.downloaded", actor=current_user, school_id=school.id, detail=f"csv {part}")
    db.session.commit()
    return csvout.response(rows, _export_name(school, "csv", part))
