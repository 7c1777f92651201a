"""Health endpoints for the proxy and the orchestrator: ``/healthz`` (process up) and ``/readyz``
(database and, when configured, Redis reachable). They carry no tenant data."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import text

from wellbeing import db, jobs

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    checks: dict[str, str] = {}
    try:  # on a connection of its own: a busy pool must not make the node look dead
        with db.probe().connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # any failure means "not ready"; the reason goes to the operator
        checks["database"] = f"error: {type(exc).__name__}"
    connection = jobs.redis_connection()
    if connection is not None:
        try:
            connection.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if ready else "unavailable", checks=checks), 200 if ready else 503
