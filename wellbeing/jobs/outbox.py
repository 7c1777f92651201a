"""The job rows' life: handing them to RQ, marking them started and done, and the dispatcher that
sends what Redis could not take and repairs what RQ lost, abandoned or gave up on.

``run_once`` is called every few seconds by the scheduler (``wellbeing scheduler``). Rows are the
truth: a row ``queued`` or ``running`` whose RQ job no longer exists, or failed while the database
could not be told, is sent again (at most ``MAX_ATTEMPTS`` hand-overs) or failed with its give-up
hook, so a page never says "being made" for good.
"""
from __future__ import annotations

import json
import logging
from datetime import timedelta

from sqlalchemy import delete, or_, select, update

from wellbeing import db
from wellbeing.db import utcnow
from wellbeing.jobs.models import JobRecord, JobState
from wellbeing.jobs.registry import GIVE_UP, JOB_TIMEOUT, QUEUES, RQ_RETRIES, new_rq_id, redis_connection

#: What RQ calls, by name (a name, so this module needs no import of the worker's; queued jobs keep it).
EXECUTE = "wellbeing.jobs.execute"
ON_FAILURE = "wellbeing.jobs.on_failure"

log = logging.getLogger(__name__)

#: Hand-overs to RQ per job (each with RQ's own retries) before the job counts as failed.
MAX_ATTEMPTS = 3
#: A row queued or running this long without news is looked up in RQ (a hand-over in flight is younger).
GRACE = timedelta(seconds=30)
KEEP_DONE = timedelta(days=7)


def _connection_errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import RedisError
    return (RedisError, OSError)


def send(record: JobRecord, connection) -> bool:
    """Hand ``record`` (committed, with its ``rq_id``) to RQ. When Redis is unreachable the row goes
    back to ``pending`` for the dispatcher and False is returned; nothing is raised."""
    from rq import Callback, Queue, Retry

    args, kwargs = json.loads(record.arguments or "[[], {}]")
    try:
        Queue(record.queue, connection=connection).enqueue_call(
            EXECUTE, args=(record.name, *args), kwargs={**kwargs, "_record": record.id},
            timeout=JOB_TIMEOUT, job_id=record.rq_id, retry=Retry(max=RQ_RETRIES),
            on_failure=Callback(ON_FAILURE),
            # The description is what the worker logs: the job's name, never its arguments.
            description=record.name)
        return True
    except _connection_errors() as exc:
        log.warning("job %s (record %s) waits for the queue: %s", record.name, record.id, type(exc).__name__)
    try:
        db.session.execute(update(JobRecord).where(JobRecord.id == record.id, JobRecord.state == JobState.QUEUED,
                                                   JobRecord.rq_id == record.rq_id)
                           .values(state=JobState.PENDING, attempts=JobRecord.attempts - 1, updated_at=utcnow()))
        db.session.commit()
    except Exception:  # noqa: BLE001 - the repair finds a queued row without an RQ job just the same
        db.session.rollback()
        log.exception("could not mark job record %s pending", record.id)
    return False


def start(record_id: int) -> bool:
    """Mark the row running for the current RQ job; False when it started (or ended) elsewhere."""
    from rq import get_current_job

    current = get_current_job()
    rq_id = current.id if current is not None else None
    waiting = JobRecord.state.in_((JobState.PENDING, JobState.QUEUED))
    # RQ's retry of the same job after a crash finds its own row still "running".
    again = (JobRecord.state == JobState.RUNNING) & (JobRecord.rq_id == rq_id) if rq_id else waiting
    started = db.session.execute(update(JobRecord).where(JobRecord.id == record_id, or_(waiting, again))
                                 .values(state=JobState.RUNNING, rq_id=rq_id, updated_at=utcnow())).rowcount
    db.session.commit()
    return bool(started)


def finish(record_id: int) -> None:
    db.session.rollback()  # whatever the job left unfinished is not ours to commit
    db.session.execute(update(JobRecord).where(JobRecord.id == record_id)
                       .values(state=JobState.DONE, arguments=None, error="", updated_at=utcnow()))
    db.session.commit()


def failed(record_id: int, reason: str, will_retry: bool) -> None:
    """RQ's failure callback: back to queued while RQ retries, otherwise failed for good."""
    db.session.rollback()
    record = db.session.get(JobRecord, record_id)
    if record is None or record.state in (JobState.DONE, JobState.FAILED):
        return
    if will_retry:
        record.state, record.error, record.updated_at = JobState.QUEUED, reason, utcnow()
        db.session.commit()
        log.warning("job %s (record %s) failed (%s); RQ retries it", record.name, record.id, reason)
        return
    give_up(record, reason)


def give_up(record: JobRecord, reason: str) -> None:
    """Fail the row and run the job's give-up hook (e.g. the report row says "failed, try again")."""
    log.error("job %s (record %s) failed for good after %d hand-over(s): %s", record.name, record.id,
              record.attempts, reason)
    hook = GIVE_UP.get(record.name)
    if hook is not None and record.arguments:
        args, kwargs = json.loads(record.arguments)
        try:
            hook(*args, **kwargs)
        except Exception:  # noqa: BLE001 - the row must end failed even when the hook cannot help
            db.session.rollback()
            log.exception("give-up hook of job record %s failed", record.id)
            record = db.session.get(JobRecord, record.id)
    record.state, record.error, record.arguments, record.updated_at = JobState.FAILED, reason[:500], None, utcnow()
    db.session.commit()


def dispatch_pending(connection, limit: int = 200) -> int:
    """Send rows that Redis could not take when they were made. Returns how many were sent."""
    ids = db.session.scalars(select(JobRecord.id).where(JobRecord.state == JobState.PENDING)
                             .order_by(JobRecord.id).limit(limit)).all()
    sent = 0
    for record_id in ids:
        record = db.session.get(JobRecord, record_id)
        if record is None or record.state != JobState.PENDING:
            continue
        record.state, record.rq_id, record.updated_at = JobState.QUEUED, new_rq_id(), utcnow()
        record.attempts += 1
        db.session.commit()
        if not send(record, connection):
            break  # Redis is still away; the rest waits for the next round
        sent += 1
    if sent:
        log.info("sent %d waiting job(s) to the queue", sent)
    return sent


def repair(connection) -> int:
    """Let RQ fail its abandoned jobs (their callbacks retry or fail the rows), then fix rows whose
    RQ job is gone, finished without them, or failed unnoticed. Returns the rows changed."""
    from rq import Queue
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus
    from rq.registry import StartedJobRegistry

    for name in QUEUES:  # AbandonedJobError for jobs whose worker stopped heartbeating
        StartedJobRegistry(queue=Queue(name, connection=connection)).cleanup()
    db.session.rollback()
    stale = db.session.scalars(select(JobRecord).where(
        JobRecord.state.in_((JobState.QUEUED, JobState.RUNNING)), JobRecord.updated_at < utcnow() - GRACE)).all()
    changed = 0
    for record in stale:
        try:
            status = Job.fetch(record.rq_id, connection=connection).get_status() if record.rq_id else None
        except NoSuchJobError:
            status = None
        if status in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.SCHEDULED, JobStatus.DEFERRED):
            continue
        changed += 1
        if status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
            give_up(record, f"RQ job {status.value}")
        elif record.attempts < MAX_ATTEMPTS:  # lost (Redis lost it, or it never started): send again
            log.warning("job %s (record %s) was lost by the queue (%s); sending it again", record.name, record.id,
                        status.value if status else "gone")
            record.state, record.updated_at = JobState.PENDING, utcnow()
            db.session.commit()
        else:
            give_up(record, "lost by the queue")
    db.session.execute(delete(JobRecord).where(JobRecord.state == JobState.DONE,
                                               JobRecord.updated_at < utcnow() - KEEP_DONE))
    db.session.commit()
    return changed


def run_once() -> None:
    """One round of the dispatcher: repair, then send what waits. Quiet while Redis is away."""
    connection = redis_connection()
    if connection is None:
        return
    try:
        repair(connection)
        dispatch_pending(connection)
    except _connection_errors() as exc:
        db.session.rollback()
        log.warning("job queue unreachable (%s); waiting jobs stay recorded", type(exc).__name__)
