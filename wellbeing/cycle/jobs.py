"""The cycle's PDF job: gather the municipality's cycle and lay it out, in the requester's language."""
from __future__ import annotations

from wellbeing import db, jobs
from wellbeing.cycle import pdf
from wellbeing.cycle.data import gather
from wellbeing.cycle.models import CycleGroup, CycleReport
from wellbeing.reports.jobs import give_up, run_report
from wellbeing.tenancy.models import Municipality


def _give_up(report_id: int) -> None:
    give_up(report_id, CycleReport)


@jobs.job("reports", on_give_up=_give_up)
def build_cycle_report(report_id: int) -> None:
    def make(report: CycleReport) -> bytes:
        owner = (db.session.get(CycleGroup, report.group_id) if report.group_id is not None
                 else db.session.get(Municipality, report.municipality_id))
        return pdf.build_cycle_report(gather(owner))
    run_report(report_id, make, CycleReport)
