"""Periodic jobs as data, and the scheduler loop that queues them when due.

Each run claims a time bucket (an hour, or a day after the job's hour) in ``sent_notice`` before it
is queued, so a restart, a second scheduler or a clock tick twice in a bucket never queue a job
twice. The jobs themselves run on the workers (or inline without Redis) under their own expiring
locks.
"""
from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from wellbeing import db, jobs
from wellbeing.db import utcnow
from wellbeing.jobs import outbox
from wellbeing.periodic import jobs as periodic_jobs
from wellbeing.release.job import release_when_due

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    job: Callable
    hour: int | None = None   # None: every hour; otherwise daily from this UTC hour on

    def bucket(self, now: datetime) -> str | None:
        """The run this moment belongs to, or None when a daily job's hour has not come yet."""
        if self.hour is None:
            return now.strftime("%Y-%m-%dT%H")
        return now.strftime("%Y-%m-%d") if now.hour >= self.hour else None


PERIODIC = (
    Periodic("remind-closing-rounds", periodic_jobs.remind_closing_rounds),
    Periodic("remind-expiring-certificates", periodic_jobs.remind_expiring_certificates, hour=7),
    Periodic("refresh-summaries", periodic_jobs.refresh_summaries_nightly, hour=1),
    Periodic("overview-release", release_when_due, hour=2),
)


def tick(now: datetime | None = None) -> list[str]:
    """Queue every periodic job whose current bucket is unclaimed; returns the names queued."""
    now = now or utcnow()
    queued = []
    for periodic in PERIODIC:
        bucket = periodic.bucket(now)
        if bucket is not None and periodic_jobs.claim(f"periodic:{periodic.name}", bucket):
            log.info("queueing periodic job %s for %s", periodic.name, bucket)
            jobs.enqueue(periodic.job)
            queued.append(periodic.name)
    db.session.commit()
    return queued


def run(interval: float = 30.0, dispatch_interval: float = 5.0) -> None:
    """The scheduler process until SIGTERM: a tick every ``interval`` seconds, and every
    ``dispatch_interval`` seconds the job dispatcher (jobs Redis could not take, jobs RQ lost)."""
    stopping = {"yes": False}
    signal.signal(signal.SIGTERM, lambda *_: stopping.update(yes=True))
    signal.signal(signal.SIGINT, lambda *_: stopping.update(yes=True))
    log.info("scheduler started: %s", ", ".join(p.name for p in PERIODIC))
    next_tick = 0.0
    while not stopping["yes"]:
        steps = [(outbox.run_once, "job dispatcher")]
        if time.monotonic() >= next_tick:
            next_tick = time.monotonic() + interval
            steps.insert(0, (tick, "scheduler tick"))
        for step, what in steps:
            try:
                step()
            except Exception:  # noqa: BLE001 - a database hiccup must not end the scheduler
                db.session.rollback()
                log.exception("%s failed", what)
            finally:
                db.session.remove()
        slept = 0.0
        while slept < dispatch_interval and not stopping["yes"]:
            time.sleep(0.5)
            slept += 0.5
    log.info("scheduler stopped")
