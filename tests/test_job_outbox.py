"""Jobs are rows committed with the work that needs them and handed to RQ after commit: a Redis
outage or a worker killed mid-job loses nothing, leaves nothing "being made" for good, and every
page tells the truth meanwhile. Real PostgreSQL, Redis, RQ workers and the scheduler as processes."""
from __future__ import annotations

import os
import re
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue, Worker
from sqlalchemy import func, select, update

from tests import services
from tests.conftest import csrf_token
from tests.processes import Processes, require, wait_until
from tests.school_content import coordinator_client
from wellbeing import db, jobs
from wellbeing.db import utcnow
from wellbeing.jobs import outbox
from wellbeing.jobs.models import JobRecord, JobState
from wellbeing.reports.models import Report, ReportStatus

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CODE = re.compile(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>")
pytestmark = pytest.mark.skipif(os.environ.get("WELLBEING_TEST_DB") == "sqlite",
                                reason="runs the worker processes on PostgreSQL")


@contextmanager
def using_redis(app, url: str):
    settings = app.extensions["wellbeing.settings"]
    app.extensions["wellbeing.settings"] = replace(settings, redis_url=url)
    try:
        yield
    finally:
        app.extensions["wellbeing.settings"] = settings


class RedisServer:
    """A Redis of the test's own, on a fixed port, that the test stops and starts again."""

    def __init__(self, processes: Processes) -> None:
        self.processes, self.port = processes, services.free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.processes.start("redis", [require("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
                                       "--save", "", "--appendonly", "no"], dict(os.environ))
        wait_until(lambda: services_up(self.port), 10, "redis")

    def stop(self) -> None:
        self.processes.stop("redis")


def services_up(port: int) -> bool:
    import socket
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
        return True
    except OSError:
        return False


def _env(app, database_url: str, redis_url: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith(("WELLBEING_", "REDIS_", "DATABASE_"))},
            "DATABASE_URL": database_url, "REDIS_URL": redis_url, "WELLBEING_INSTANCE_PATH": app.instance_path,
            "PYTHONUNBUFFERED": "1"}


def _records(app) -> dict[JobState, int]:
    with app.app_context():
        return dict(db.session.execute(select(JobRecord.state, func.count()).group_by(JobRecord.state)).all())


def _report(app, report_id: int) -> Report:
    with app.app_context():
        return db.session.get(Report, report_id)


def wait_for_an_idle_worker(processes: Processes, redis) -> None:
    """Until the worker waits for jobs with every queue empty. An RQ worker rides out a Redis outage
    while it waits, but quits on one in the middle of its start or of a job (the deployment's
    supervisor starts it again); on a loaded machine both take seconds, so a test that stops Redis
    tests the outage only once the worker is waiting."""
    with Redis.from_url(redis.url) as connection:
        def idle() -> bool:
            queues_empty = all(Queue(name, connection=connection).count == 0 for name in jobs.QUEUES)
            return queues_empty and [w.get_state() for w in Worker.all(connection=connection)] == ["idle"]
        wait_until(idle, 60, "the worker to wait for jobs", processes.check_alive)


@contextmanager
def running_stack(app, database_url: str, folder: Path, worker: list[str], scheduler: list[str]):
    """Our own Redis, a worker and the scheduler as processes; the app in the test uses that Redis."""
    with Processes(folder) as processes:
        redis = RedisServer(processes)
        redis.start()
        env = _env(app, database_url, redis.url)
        processes.start("worker", worker, env, cwd=ROOT)
        processes.start("scheduler", [str(BIN / "wellbeing"), "scheduler", *scheduler], env, cwd=ROOT)
        wait_for_an_idle_worker(processes, redis)
        with using_redis(app, redis.url):
            yield processes, redis, env


def test_redis_down_during_a_submit_code_making_and_a_pdf_request_every_page_tells_the_truth(
        app, database_url, tmp_path):
    with running_stack(app, database_url, tmp_path, [str(BIN / "wellbeing"), "worker"], []) as (processes, redis, _):
        client, school_id = coordinator_client(app)
        rounds = f"/school/{school_id}/rounds"
        opened = client.post(rounds, data={"school_year": "2026-2027", "mode": "individual",
                                           "csrf_token": csrf_token(client, rounds)})
        round_url = opened.headers["Location"]
        sheet = client.post(f"{round_url}/codes", data={"count": "3", "csrf_token": csrf_token(client, round_url)})
        code = CODE.findall(sheet.get_data(as_text=True))[0]
        from tests.test_rounds import start
        member = start(app, code)  # the browser that entered the code (#11): the code itself opens nothing
        review = "/r/answers/review"
        token = csrf_token(member, review)

        wait_for_an_idle_worker(processes, redis)
        redis.stop()
        statuses = []
        made = client.post(f"{round_url}/codes", data={"count": "2", "csrf_token": csrf_token(client, round_url)})
        statuses.append(made.status_code)
        assert made.status_code == 200 and len(CODE.findall(made.get_data(as_text=True))) == 2
        sent = member.post(review, data={"csrf_token": token})
        statuses.append(sent.status_code)
        assert sent.status_code == 200 and "Your answers have been sent" in sent.get_data(as_text=True)
        report_page = f"/school/{school_id}/report"
        asked = client.post(report_page, data={"csrf_token": csrf_token(client, report_page), "locale": "en"})
        statuses.append(asked.status_code)
        page = client.get(report_page)
        statuses.append(page.status_code)
        assert asked.status_code == 302 and "the report will be made as soon as it is back" in page.get_data(
            as_text=True)
        assert all(status < 500 for status in statuses), statuses
        with app.app_context():
            report_job = db.session.scalar(select(JobRecord).where(JobRecord.name.endswith("school_report")))
            assert report_job.state == JobState.PENDING  # recorded, waiting for the queue

        redis.start()
        back = time.monotonic()
        with app.app_context():
            report_id = db.session.scalar(select(Report.id).where(Report.school_id == school_id))

        def all_done() -> bool:
            states = _records(app)
            return _report(app, report_id).status == ReportStatus.DONE and set(states) == {JobState.DONE}
        wait_until(all_done, 60, "every job to complete after Redis came back", processes.check_alive, 0.5)
        assert time.monotonic() - back < 60
        assert "Ready" in client.get(report_page).get_data(as_text=True)


def test_a_worker_killed_with_its_work_horse_during_a_pdf_ends_done_by_retry_never_stuck(
        app, database_url, tmp_path):
    slow_worker = [sys.executable, "-c", "import tests.slow_jobs as s; exec(s.WORKER)"]
    with running_stack(app, database_url, tmp_path, slow_worker, ["--dispatch-interval", "2"]) as (
            processes, _, env):
        from tests import slow_jobs

        client, school_id = coordinator_client(app)
        with app.test_request_context():
            report = Report(school_id=school_id, locale="en")
            db.session.add(report)
            db.session.flush()
            report_id = report.id
            assert jobs.enqueue(slow_jobs.slow_school_report, report_id, 6) is not None
            db.session.commit()
        wait_until(lambda: _report(app, report_id).status == ReportStatus.RUNNING, 60, "the PDF to start",
                   processes.check_alive)
        processes.kill("worker")  # the worker and its work horse, at once
        processes.start("worker-2", slow_worker, env, cwd=ROOT)

        def ended() -> bool:
            return _report(app, report_id).status in (ReportStatus.DONE, ReportStatus.FAILED)
        # RQ notices the abandoned job when its heartbeat expires (70 s), then retries it.
        wait_until(ended, 150, "the killed report to be retried", processes.check_alive, 1)
        assert _report(app, report_id).status == ReportStatus.DONE
        with app.app_context():
            record = db.session.scalar(select(JobRecord))
            assert record.state == JobState.DONE and "AbandonedJobError" in processes.logs() + record.error
        assert "Ready" in client.get(f"/school/{school_id}/report").get_data(as_text=True)


def test_a_job_the_queue_lost_is_sent_again_then_fails_with_a_message_and_may_be_requested_again(app, redis_url):
    """No worker: each hand-over is lost (its RQ job deleted, as by a Redis restart without
    persistence); the repair sends it again up to the limit, then fails the report for the page."""
    from rq.job import Job

    with using_redis(app, redis_url):
        client, school_id = coordinator_client(app)
        report_page = f"/school/{school_id}/report"
        assert client.post(report_page, data={"csrf_token": csrf_token(client, report_page),
                                              "locale": "en"}).status_code == 302
        with app.app_context():
            connection = jobs.redis_connection()
            for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
                record = db.session.scalar(select(JobRecord).where(JobRecord.name.endswith("build_school_report")))
                assert record.state == JobState.QUEUED and record.attempts == attempt
                Job.fetch(record.rq_id, connection=connection).delete()
                db.session.execute(update(JobRecord).values(updated_at=utcnow() - timedelta(minutes=1)))
                db.session.commit()
                outbox.repair(connection)
                outbox.dispatch_pending(connection)
                db.session.expire_all()
            record = db.session.scalar(select(JobRecord).where(JobRecord.name.endswith("build_school_report")))
            assert record.state == JobState.FAILED and record.arguments is None
            assert db.session.scalar(select(Report.status)) == ReportStatus.FAILED
        page = client.get(report_page).get_data(as_text=True)
        assert "Failed; try again" in page
        again = client.post(report_page, data={"csrf_token": csrf_token(client, report_page), "locale": "en"})
        assert "The report is being made." in client.get(again.headers["Location"]).get_data(as_text=True)
