"""Background jobs: one registry, run by RQ workers with ``REDIS_URL`` and inline without it.

Jobs take ids and plain values, never ORM objects. In a worker, every job runs inside an app
context of an app built once per worker process.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import current_app, has_app_context

log = logging.getLogger(__name__)

REGISTRY: dict[str, Callable[..., Any]] = {}
QUEUES = ("default", "mail", "reports")
_worker_app = None


def job(queue: str = "default") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a job function under its dotted name, on ``queue``."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        name = f"{func.__module__}.{func.__qualname__}"
        func.job_name = name  # type: ignore[attr-defined]
        func.job_queue = queue  # type: ignore[attr-defined]
        REGISTRY[name] = func
        return func

    return register


def execute(name: str, *args: Any, _pending: str | None = None, **kwargs: Any) -> Any:
    """Entry point the RQ worker calls: look the job up and run it in an app context."""
    _import_job_modules()
    func = REGISTRY[name]

    def run() -> Any:
        if _pending is not None:
            # From here on a change needs a run of its own: this one may have read the data already.
            redis_connection().delete(_pending)
        return func(*args, **kwargs)

    if has_app_context():
        return run()
    global _worker_app
    if _worker_app is None:
        from wellbeing.app import create_app
        _worker_app = create_app()
    with _worker_app.app_context():
        return run()


def enqueue(func: Callable[..., Any], *args: Any, **kwargs: Any) -> str | None:
    """Run ``func`` on its queue with Redis, or inline (after the caller's commit) without.

    Returns the RQ job id, or None when the job ran inline.
    """
    name = func.job_name  # type: ignore[attr-defined]
    connection = redis_connection()
    if connection is None:
        from wellbeing import db
        # Inline jobs must see what the request has written so far, as a worker would after commit.
        db.session.commit()
        func(*args, **kwargs)
        return None
    from rq import Queue

    from wellbeing import db
    db.session.commit()
    queue = Queue(func.job_queue, connection=connection)  # type: ignore[attr-defined]
    # The description is what the worker logs: the job's name, never its arguments (addresses, texts).
    return queue.enqueue(execute, name, *args, **kwargs, job_timeout=600, description=name).id


# How long "already waiting" holds without the job starting (a lost job must not block later ones).
PENDING_SECONDS = 600


def enqueue_once(func: Callable[..., Any], *args: Any) -> str | None:
    """``enqueue``, unless the same job with the same arguments is waiting in the queue already.

    For jobs that recompute something from what is in the database when they start (a school's
    summaries after each save): a team submitting at once then makes one job, not one per member.
    The caller's changes are committed before the check, so a job that has not started will see
    them, and one that has started has already cleared its mark, so a new job is queued.
    """
    connection = redis_connection()
    if connection is None:
        return enqueue(func, *args)
    from wellbeing import db
    db.session.commit()
    key = "wellbeing:pending:" + ":".join([func.job_name, *map(str, args)])  # type: ignore[attr-defined]
    if not connection.set(key, 1, nx=True, ex=PENDING_SECONDS):
        return None
    try:
        return enqueue(func, *args, _pending=key)
    except BaseException:
        connection.delete(key)
        raise


def redis_connection():
    url = current_app.extensions["wellbeing.settings"].redis_url
    if not url:
        return None
    cache = current_app.extensions.setdefault("wellbeing.redis", {})
    if url not in cache:
        from redis import Redis
        cache[url] = Redis.from_url(url)
    return cache[url]


def _import_job_modules() -> None:
    """Import every module that defines jobs so the registry is complete in a worker."""
    from wellbeing import mail  # noqa: F401
    from wellbeing.accounts import jobs as accounts_jobs  # noqa: F401
    from wellbeing.overview import jobs as overview_jobs  # noqa: F401
    from wellbeing.periodic import jobs as periodic_jobs  # noqa: F401
    from wellbeing.reports import jobs as report_jobs  # noqa: F401
    from wellbeing.summaries import refresh  # noqa: F401
    from wellbeing.release import job as release_job  # noqa: F401
