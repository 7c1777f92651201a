"""Municipality and region overviews: aggregated, suppressed figures from summary tables only."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from wellbeing import access, db, jobs
from wellbeing.access import Level
from wellbeing.db import utcnow
from wellbeing.labels import locale_code
from wellbeing.accounts.models import Role
from wellbeing.overview import charts, export, service
from wellbeing.overview.jobs import build_overview_report
from wellbeing.reports.jobs import queued_message
from wellbeing.reports.models import Report, ReportStatus

bp = Blueprint("overview", __name__)
PENDING = (ReportStatus.QUEUED, ReportStatus.RUNNING)
STALE = timedelta(minutes=15)


def _area(municipality_id: int | None, region_id: int | None):
    """(region, municipality or None); 404 outside the user's scope."""
    if municipality_id is not None:
        municipality = access.get_municipality(current_user, municipality_id, Level.AGGREGATE)
        return municipality.region, municipality
    return access.get_region(current_user, region_id, Level.AGGREGATE), None


def _reports(region, municipality) -> list[Report]:
    query = select(Report).where(Report.region_id == region.id,
                                 Report.municipality_id == (municipality.id if municipality else None)
                                 if municipality else Report.municipality_id.is_(None))
    return list(db.session.scalars(query.order_by(Report.requested_at.desc()).limit(5)))


def _page(municipality_id: int | None = None, region_id: int | None = None):
    region, municipality = _area(municipality_id, region_id)
    data = service.overview(region, municipality)
    if data is None:
        return render_template("overview/not_yet.html"), 200
    reports = _reports(region, municipality)
    return _render(data, region=region, municipality=municipality, reports=reports,
                   links=_links(region, municipality))


def _render(data, **context):
    reports = context.setdefault("reports", [])
    context.setdefault("region", None)
    context.setdefault("municipality", None)
    return render_template(
        "overview/index.html", data=data, pending=any(r.status in PENDING for r in reports), **context,
        coverage=charts.coverage_chart(data.pillars, data.types, data.type_labels, data.pillars.title),
        score_charts={y.school_year: charts.score_chart(y, data.types, data.type_labels,
                                                        _("Element scores %(year)s", year=y.school_year))
                      for y in data.scores if y.rows},
        trend=charts.trend_chart(data.trends, _("Median element score over the years, all school types")))


def _links(region, municipality) -> dict[str, str]:
    if municipality is not None:
        return {"csv": url_for("overview.municipality_csv", municipality_id=municipality.id),
                "report": url_for("overview.municipality_report", municipality_id=municipality.id)}
    return {"csv": url_for("overview.region_csv", region_id=region.id),
            "report": url_for("overview.region_report", region_id=region.id)}


@bp.route("/municipality/<int:municipality_id>")
@login_required
def municipality(municipality_id: int):
    return _page(municipality_id=municipality_id)


def _national_data():
    if not current_user.has_role(Role.PLATFORM_ADMIN):
        abort(404)
    return service.national()


@bp.route("/overview/national")
@login_required
def national():
    """The country as a whole, from the latest release."""
    data = _national_data()
    if data is None:
        return render_template("overview/not_yet.html"), 200
    return _render(data, links={"csv": url_for("overview.national_csv")})


@bp.route("/overview/national.csv")
@login_required
def national_csv():
    data = _national_data()
    if data is None:
        abort(404)
    return Response("\ufeff" + export.to_csv(data), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="welbevinden-overzicht-nl-{data.school_year}.csv"'})


@bp.route("/region/<int:region_id>/overview")
@login_required
def region(region_id: int):
    return _page(region_id=region_id)


def _csv(municipality_id: int | None = None, region_id: int | None = None):
    region, municipality = _area(municipality_id, region_id)
    data = service.overview(region, municipality)
    if data is None:
        abort(404)
    name = (municipality.code if municipality else f"regio-{region.code}").lower()
    return Response("\ufeff" + export.to_csv(data), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="welbevinden-overzicht-{name}-{data.school_year}.csv"'})


@bp.route("/municipality/<int:municipality_id>/overview.csv")
@login_required
def municipality_csv(municipality_id: int):
    return _csv(municipality_id=municipality_id)


@bp.route("/region/<int:region_id>/overview.csv")
@login_required
def region_csv(region_id: int):
    return _csv(region_id=region_id)


def _request_report(municipality_id: int | None = None, region_id: int | None = None):
    region, municipality = _area(municipality_id, region_id)
    back = _back(region, municipality)
    pending = [r for r in _reports(region, municipality) if r.status in PENDING and r.requested_at > utcnow() - STALE]
    if pending:
        flash(_("A report is already being made. It appears below when it is ready."), "error")
        return redirect(back)
    locale = request.form.get("locale", locale_code())
    if locale not in ("nl", "en"):
        abort(400)
    report = Report(region_id=region.id, municipality_id=municipality.id if municipality else None, locale=locale,
                    requested_by_id=current_user.id)
    db.session.add(report)
    db.session.flush()
    jobs.enqueue(build_overview_report, report.id)
    db.session.commit()
    flash(queued_message(), "success")
    return redirect(back)


def _back(region, municipality) -> str:
    if municipality is not None:
        return url_for("overview.municipality", municipality_id=municipality.id, _anchor="reports")
    return url_for("overview.region", region_id=region.id, _anchor="reports")


@bp.route("/municipality/<int:municipality_id>/report", methods=["POST"])
@login_required
def municipality_report(municipality_id: int):
    return _request_report(municipality_id=municipality_id)


@bp.route("/region/<int:region_id>/report", methods=["POST"])
@login_required
def region_report(region_id: int):
    return _request_report(region_id=region_id)


def _download(report_id: int, municipality_id: int | None = None, region_id: int | None = None):
    region, municipality = _area(municipality_id, region_id)
    report = db.session.get(Report, report_id)
    if (report is None or report.region_id != region.id or report.status != ReportStatus.DONE
            or report.municipality_id != (municipality.id if municipality else None)):
        abort(404)
    name = (municipality.code if municipality else f"regio-{region.code}").lower()
    return Response(report.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="welbevinden-overzicht-{name}-{report.locale}.pdf"',
        "Cache-Control": "private, no-store"})


@bp.route("/municipality/<int:municipality_id>/report/<int:report_id>.pdf")
@login_required
def municipality_download(municipality_id: int, report_id: int):
    return _download(report_id, municipality_id=municipality_id)


@bp.route("/region/<int:region_id>/report/<int:report_id>.pdf")
@login_required
def region_download(region_id: int, report_id: int):
    return _download(report_id, region_id=region_id)


def _html_version(report_id: int, municipality_id: int | None = None, region_id: int | None = None):
    """The accessible HTML version of a finished overview PDF (the same data, made by the same job)."""
    region, municipality = _area(municipality_id, region_id)
    report = db.session.get(Report, report_id)
    if (report is None or report.region_id != region.id or report.status != ReportStatus.DONE
            or report.municipality_id != (municipality.id if municipality else None) or not report.html):
        abort(404)
    pdf_url = (url_for("overview.municipality_download", municipality_id=municipality.id, report_id=report.id)
               if municipality else url_for("overview.region_download", region_id=region.id, report_id=report.id))
    back = (url_for("overview.municipality", municipality_id=municipality.id) if municipality
            else url_for("overview.region", region_id=region.id))
    return render_template("reports/html_version.html", report=report, pdf_url=pdf_url, back=back,
                           area=municipality.name if municipality else region.name)


@bp.route("/municipality/<int:municipality_id>/report/<int:report_id>.html")
@login_required
def municipality_html(municipality_id: int, report_id: int):
    return _html_version(report_id, municipality_id=municipality_id)


@bp.route("/region/<int:region_id>/report/<int:report_id>.html")
@login_required
def region_html(region_id: int, report_id: int):
    return _html_version(report_id, region_id=region_id)
