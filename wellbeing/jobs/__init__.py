"""Background jobs: one registry, run by RQ workers with ``REDIS_URL`` and inline without it.

Jobs take ids and plain (JSON) values, never ORM objects. With Redis, a job is first a row
(``JobRecord``) committed together with the work that needs it, then handed to RQ; when Redis is
unreachable the request still succeeds and ``wellbeing.jobs.outbox`` sends the row later. In a
worker, every job runs inside an app context of the worker's app (``wellbeing.jobs.worker``).
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from flask import g, has_request_context
from sqlalchemy.exc import IntegrityError

from wellbeing import db
from wellbeing.jobs import outbox
from wellbeing.jobs.models import JobRecord, JobState
from wellbeing.jobs.registry import GIVE_UP, JOB_TIMEOUT, QUEUES, REGISTRY, RQ_RETRIES, job, new_rq_id, redis_connection
from wellbeing.jobs.worker import execute, on_failure

__all__ = ["GIVE_UP", "JOB_TIMEOUT", "QUEUES", "REGISTRY", "RQ_RETRIES", "deferred", "enqueue", "enqueue_once",
           "execute", "job", "new_rq_id", "on_failure", "redis_connection"]


def enqueue(func: Callable[..., Any], *args: Any, _key: str | None = None, **kwargs: Any) -> str | None:
    """Run ``func(*args, **kwargs)`` once the caller's transaction commits; the caller commits.

    Without Redis the job runs inline right after the commit, seeing what was committed, as a worker
    would. With Redis the job's row is part of the caller's transaction and is handed to RQ after the
    commit; returns the RQ job id it gets, or None when it runs inline or the same job is waiting
    already (``_key``). When Redis is unreachable at the hand-over, ``deferred()`` is true for this
    request and the dispatcher sends the job when Redis is back. A rollback drops the job.
    """
    connection = redis_connection()
    if connection is None:
        db.after_commit(lambda: func(*args, **kwargs))
        return None
    record = JobRecord(name=func.job_name, queue=func.job_queue,  # type: ignore[attr-defined]
                       arguments=json.dumps([list(args), kwargs]), state=JobState.QUEUED, waiting_key=_key,
                       rq_id=new_rq_id(), attempts=1)
    if _key is None:
        db.session.add(record)
    else:
        db.session.flush()  # the caller's changes first: their errors are theirs, not a duplicate key
        try:
            with db.session.begin_nested():
                db.session.add(record)
        except IntegrityError:  # the same job waits already and will see these changes
            return None
    db.after_commit(lambda: _hand_over(record, connection))
    return record.rq_id


def _hand_over(record: JobRecord, connection) -> None:
    if not outbox.send(record, connection) and has_request_context():
        g.wellbeing_jobs_deferred = True


def enqueue_once(func: Callable[..., Any], *args: Any) -> str | None:
    """``enqueue``, unless the same job with the same arguments is waiting to start already.

    For jobs that recompute something from what is in the database when they start (a school's
    summaries after each save): a team submitting at once then makes one job, not one per member.
    The caller's changes commit with the check, so a job that has not started will see them, and
    one that has started is no longer waiting, so a new job is recorded.
    """
    key = ":".join([func.job_name, *map(str, args)])  # type: ignore[attr-defined]
    return enqueue(func, *args, _key=key[:200])


def deferred() -> bool:
    """Whether a job of this request could not be handed to the queue (Redis unreachable): it is
    saved and will run when the queue is back, which the page should say."""
    return has_request_context() and bool(g.get("wellbeing_jobs_deferred"))
