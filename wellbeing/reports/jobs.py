"""The report job: build the school's PDF and store it on its ``Report`` row."""
from __future__ import annotations

import logging

from flask_babel import force_locale

from wellbeing import db, jobs
from wellbeing.db import utcnow
from wellbeing.reports.models import Report, ReportStatus

log = logging.getLogger(__name__)


@jobs.job("reports")
def build_school_report(report_id: int) -> None:
    """Runs on a worker (or inline): marks the row running, then done with the PDF, or failed."""
    from wellbeing.reports.gather import gather
    from wellbeing.reports.pdf import build_school_report as build_pdf

    report = db.session.get(Report, report_id)
    if report is None or report.status not in (ReportStatus.QUEUED, ReportStatus.RUNNING):
        return
    report.status = ReportStatus.RUNNING
    db.session.commit()
    try:
        with force_locale(report.locale):
            content = build_pdf(gather(report_school(report), report.locale))
    except Exception as exc:  # the row must say it failed, whatever went wrong
        db.session.rollback()
        log.exception("report %s failed", report_id)
        report = db.session.get(Report, report_id)
        report.status, report.error, report.finished_at = ReportStatus.FAILED, type(exc).__name__, utcnow()
        db.session.commit()
        return
    report.content, report.size = content, len(content)
    report.status, report.finished_at = ReportStatus.DONE, utcnow()
    db.session.commit()


def report_school(report: Report):
    from wellbeing.tenancy.models import School

    return db.session.get(School, report.school_id)
