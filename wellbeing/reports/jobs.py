"""Report jobs: build a PDF and store it on its ``Report`` row, which the page polls."""
from __future__ import annotations

import logging
from collections.abc import Callable

from flask_babel import force_locale
from flask_babel import gettext as _

from wellbeing import db, jobs
from wellbeing.db import utcnow
from wellbeing.reports import pdf
from wellbeing.reports.gather import gather
from wellbeing.reports.html import school_report_html
from wellbeing.reports.models import Report, ReportStatus
from wellbeing.tenancy.models import School

log = logging.getLogger(__name__)


def run_report(report_id: int, make: Callable[[Report], bytes | tuple[bytes, str]], model: type = Report) -> None:
    """Mark the row running, then done with ``make(report)``'s PDF (and its accessible HTML version,
    when ``make`` returns both), or failed whatever went wrong.

    ``make`` runs in the report's language. A row already done or failed is left alone, so a job
    delivered twice does no harm. ``model``: another table with the same fields (the cycle's reports).
    """
    report = db.session.get(model, report_id)
    if report is None or report.status not in (ReportStatus.QUEUED, ReportStatus.RUNNING):
        return
    report.status = ReportStatus.RUNNING
    db.session.commit()
    try:
        with force_locale(report.locale):
            content = make(report)
    except Exception as exc:
        db.session.rollback()
        log.exception("report %s failed", report_id)
        report = db.session.get(model, report_id)
        report.status, report.error, report.finished_at = ReportStatus.FAILED, type(exc).__name__, utcnow()
        db.session.commit()
        return
    content, html = content if isinstance(content, tuple) else (content, None)
    report.content, report.size, report.html = content, len(content), html
    report.status, report.finished_at = ReportStatus.DONE, utcnow()
    db.session.commit()


def queued_message() -> str:
    """What the user is told after asking for a report: the truth about the job queue."""
    if jobs.deferred():
        return _("Your request is saved. The job queue is unavailable at the moment; the report will be made "
                 "as soon as it is back.")
    return _("The report is being made.")


def give_up(report_id: int, model: type = Report) -> None:
    """The report's job failed for good (its worker died on every attempt, or the queue lost it):
    the page then says "failed, try again" and a new request is allowed."""
    report = db.session.get(model, report_id)
    if report is not None and report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING):
        report.status, report.error, report.finished_at = ReportStatus.FAILED, "job failed", utcnow()
        db.session.commit()


@jobs.job("reports", on_give_up=give_up)
def build_school_report(report_id: int) -> None:
    def make(report: Report) -> tuple[bytes, str]:
        data = gather(db.session.get(School, report.school_id), report.locale)
        return pdf.build_school_report(data), school_report_html(data)
    run_report(report_id, make)
