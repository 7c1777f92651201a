"""Background jobs: one registry, run by RQ workers with ``REDIS_URL`` and inline without it.

Jobs take ids and plain (JSON) values, never ORM objects. With Redis, a job is first a row
(``JobRecord``) committed together with the work that needs it, then handed to RQ; when Redis is
unreachable the request still succeeds and ``wellbeing.jobs.outbox`` sends the row later. In a
worker, every job runs inside an app context of an app built once per worker process.
"""
from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from flask import current_app, g, has_app_context, has_request_context

log = logging.getLogger(__name__)

REGISTRY: dict[str, Callable[..., Any]] = {}
GIVE_UP: dict[str, Callable[..., Any]] = {}
QUEUES = ("default", "mail", "reports")
#: RQ retries a job that raised (or whose worker died) this many times before it counts as failed.
RQ_RETRIES = 2
JOB_TIMEOUT = 600
_worker_app = None


def job(queue: str = "default", on_give_up: Callable[..., Any] | None = None
        ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a job function under its dotted name, on ``queue``.

    ``on_give_up(*args, **kwargs)`` runs (with the job's arguments, in an app context) when the job
    failed for good, so the page that waits for it can say so instead of "being made" forever.
    """
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        name = f"{func.__module__}.{func.__qualname__}"
        func.job_name = name  # type: ignore[attr-defined]
        func.job_queue = queue  # type: ignore[attr-defined]
        REGISTRY[name] = func
        if on_give_up is not None:
            GIVE_UP[name] = on_give_up
        return func

    return register


def in_app(work: Callable[[], Any]) -> Any:
    """Run ``work`` in the current app context, or in the worker's own app."""
    if has_app_context():
        return work()
    global _worker_app
    if _worker_app is None:
        from wellbeing.app import create_app
        _worker_app = create_app()
    with _worker_app.app_context():
        return work()


def execute(name: str, *args: Any, _record: int | None = None, **kwargs: Any) -> Any:
    """Entry point the RQ worker calls: look the job up and run it in an app context.

    With ``_record`` the job's row is marked running first (a second delivery of the same job then
    does nothing) and done afterwards.
    """
    _import_job_modules()
    func = REGISTRY[name]

    def run() -> Any:
        from wellbeing.jobs import outbox
        if _record is not None and not outbox.start(_record):
            log.info("job %s (record %s) started elsewhere already; skipped", name, _record)
            return None
        result = func(*args, **kwargs)
        if _record is not None:
            outbox.finish(_record)
        return result

    return in_app(run)


def on_failure(rq_job, connection, exc_type, exc_value, traceback) -> None:
    """RQ's failure callback (a job raised, timed out, or its worker died: AbandonedJobError).
    RQ retries while the job has retries left; after the last one the job's row is failed."""
    record = (rq_job.kwargs or {}).get("_record")
    if record is None:
        return
    from wellbeing.jobs import outbox
    will_retry = bool(rq_job.retries_left and rq_job.retries_left > 0)
    reason = getattr(exc_type, "__name__", str(exc_type))
    in_app(lambda: outbox.failed(record, reason, will_retry))


def enqueue(func: Callable[..., Any], *args: Any, _key: str | None = None, **kwargs: Any) -> str | None:
    """Record ``func(*args, **kwargs)`` and run it after the caller's transaction commits.

    Commits the caller's session (with the job's row in it). Without Redis the job then runs inline.
    With Redis it is handed to RQ; returns the RQ job id, or None when the job ran inline, was
    waiting already (``_key``), or Redis is unreachable (then ``deferred()`` is true for this
    request and the dispatcher sends the job when Redis is back).
    """
    from wellbeing import db
    connection = redis_connection()
    if connection is None:
        # Inline jobs must see what the request has written so far, as a worker would after commit.
        db.session.commit()
        func(*args, **kwargs)
        return None
    from sqlalchemy.exc import IntegrityError

    from wellbeing.jobs.models import JobRecord, JobState
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
            db.session.commit()
            return None
    db.session.commit()
    from wellbeing.jobs import outbox
    if outbox.send(record, connection):
        return record.rq_id
    if has_request_context():
        g.wellbeing_jobs_deferred = True
    return None


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


def new_rq_id() -> str:
    return "wellbeing-" + uuid.uuid4().hex


def redis_connection():
    url = current_app.extensions["wellbeing.settings"].redis_url
    if not url:
        return None
    cache = current_app.extensions.setdefault("wellbeing.redis", {})
    if url not in cache:
        from redis import Redis
        # Short timeouts: an unreachable Redis must cost a request a moment, not a hung worker.
        cache[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return cache[url]


def _import_job_modules() -> None:
    """Import every module that defines jobs so the registry is complete in a worker."""
    from wellbeing import mail  # noqa: F401
    from wellbeing.accounts import jobs as accounts_jobs  # noqa: F401
    from wellbeing.cycle import jobs as cycle_jobs  # noqa: F401
    from wellbeing.overview import jobs as overview_jobs  # noqa: F401
    from wellbeing.periodic import jobs as periodic_jobs  # noqa: F401
    from wellbeing.release import job as release_job  # noqa: F401
    from wellbeing.reports import jobs as report_jobs  # noqa: F401
    from wellbeing.summaries import refresh  # noqa: F401
