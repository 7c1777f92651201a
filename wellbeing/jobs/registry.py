"""The job registry: which functions are jobs, on which queue, and the connection to RQ's Redis.

No product module is imported here; a module that defines jobs registers them when it is imported,
and the application factory imports every such module (``wellbeing.app.register_jobs``).
"""
from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask import current_app

if TYPE_CHECKING:
    from redis import Redis

REGISTRY: dict[str, Callable[..., Any]] = {}
GIVE_UP: dict[str, Callable[..., Any]] = {}
QUEUES = ("default", "mail", "reports")
#: RQ retries a job that raised (or whose worker died) this many times before it counts as failed.
RQ_RETRIES = 2
JOB_TIMEOUT = 600


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


def new_rq_id() -> str:
    return "wellbeing-" + uuid.uuid4().hex


def redis_connection() -> Redis | None:
    url = current_app.extensions["wellbeing.settings"].redis_url
    if not url:
        return None
    cache: dict[str, Redis] = current_app.extensions.setdefault("wellbeing.redis", {})
    if url not in cache:
        from redis import Redis  # only where Redis is configured
        # Short timeouts: an unreachable Redis must cost a request a moment, not a hung worker.
        cache[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return cache[url]
