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


def execute(name: str, *args: Any, **kwargs: Any) -> Any:
    """Entry point the RQ worker calls: look the job up and run it in an app context."""
    _import_job_modules()
    func = REGISTRY[name]
    if has_app_context():
        return func(*args, **kwargs)
    global _worker_app
    if _worker_app is None:
        from wellbeing.app import create_app
        _worker_app = create_app()
    with _worker_app.app_context():
        return func(*args, **kwargs)


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
    from wellbeing.overview import jobs as overview_jobs  # noqa: F401
    from wellbeing.periodic import jobs as periodic_jobs  # noqa: F401
    from wellbeing.reports import jobs as report_jobs  # noqa: F401
    from wellbeing.summaries import refresh  # noqa: F401
    from wellbeing.overview import snapshot as overview_snapshot  # noqa: F401
