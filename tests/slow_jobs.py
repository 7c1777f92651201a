"""A school report job that takes its time, so a test can kill the worker while it runs.

Imported by a worker process started with ``python -c "import tests.slow_jobs; ..."``; the job
builds the real school PDF after ``seconds`` of sleep, and has the report's give-up hook.
"""
from __future__ import annotations

import time

from wellbeing import db, jobs
from wellbeing.reports.jobs import give_up, run_report

WORKER = ("import sys, tests.slow_jobs; from wellbeing.cli import main; "
          "sys.argv = ['wellbeing', 'worker']; main()")


@jobs.job("reports", on_give_up=give_up)
def slow_school_report(report_id: int, seconds: float) -> None:
    from wellbeing.reports import pdf
    from wellbeing.reports.gather import gather
    from wellbeing.tenancy.models import School

    def make(report) -> bytes:
        time.sleep(seconds)
        return pdf.build_school_report(gather(db.session.get(School, report.school_id), report.locale))
    run_report(report_id, make)
