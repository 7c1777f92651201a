"""The overview report job: the same suppressed overview as the page, laid out as a PDF."""
from __future__ import annotations

from wellbeing import db, jobs
from wellbeing.overview import pdf, service
from wellbeing.reports.html import overview_report_html
from wellbeing.reports.jobs import give_up, run_report
from wellbeing.tenancy.models import Municipality, Region


@jobs.job("reports", on_give_up=give_up)
def build_overview_report(report_id: int) -> None:
    def make(report) -> tuple[bytes, str]:
        region = db.session.get(Region, report.region_id)
        municipality = db.session.get(Municipality, report.municipality_id) if report.municipality_id else None
        data = service.overview(region, municipality)
        return pdf.build_overview_report(data), overview_report_html(data)
    run_report(report_id, make)
