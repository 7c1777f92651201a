"""What the RQ worker calls: run a registered job in the worker's app, and RQ's failure callback."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, has_app_context

from wellbeing.jobs import outbox
from wellbeing.jobs.registry import REGISTRY

log = logging.getLogger(__name__)
_worker_app: Flask | None = None


def bind(app: Flask) -> None:
    """The app jobs run in when the worker calls them outside an app context (``wellbeing worker``)."""
    global _worker_app
    _worker_app = app


def in_app(work: Callable[[], Any]) -> Any:
    """Run ``work`` in the current app context, or in the worker's own app."""
    if has_app_context():
        return work()
    if _worker_app is None:
        raise RuntimeError("no app for the job: run workers with `wellbeing worker`")
    with _worker_app.app_context():
        return work()


def execute(name: str, *args: Any, _record: int | None = None, **kwargs: Any) -> Any:
    """Entry point the RQ worker calls: look the job up and run it in an app context.

    With ``_record`` the job's row is marked running first (a second delivery of the same job then
    does nothing) and done afterwards.
    """
    func = REGISTRY[name]

    def run() -> Any:
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
    will_retry = bool(rq_job.retries_left and rq_job.retries_left > 0)
    reason = getattr(exc_type, "__name__", str(exc_type))
    in_app(lambda: outbox.failed(record, reason, will_retry))
