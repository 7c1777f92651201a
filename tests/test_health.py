"""/healthz says the process is up; /readyz checks the database and Redis for real."""
import time
from dataclasses import replace

import pytest

from wellbeing.app import create_app
from wellbeing.config import load_settings


def test_healthz_and_readyz_report_ok_with_a_working_database(app, client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["checks"] == {"database": "ok"}


def test_readyz_checks_a_real_redis_and_reports_an_unreachable_one(app, redis_url, client):
    settings = app.extensions["wellbeing.settings"]
    try:
        app.extensions["wellbeing.settings"] = replace(settings, redis_url=redis_url)
        app.extensions.pop("wellbeing.redis", None)
        assert client.get("/readyz").get_json()["checks"] == {"database": "ok", "redis": "ok"}
        app.extensions["wellbeing.settings"] = replace(settings, redis_url="redis://127.0.0.1:1/0")
        down = client.get("/readyz")
        assert down.status_code == 503 and down.get_json()["checks"]["redis"].startswith("error")
    finally:
        app.extensions["wellbeing.settings"] = settings
        app.extensions.pop("wellbeing.redis", None)


def test_readyz_answers_at_once_while_the_load_holds_every_request_connection(database_url, tmp_path):
    """The health check has its own connection: a process whose request pools are all in use (a
    team answering at once) still says it is ready, instead of queueing behind the load."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no connection pools to exhaust")
    settings = load_settings(env={"DATABASE_POOL_SIZE": "1"}, database_url=database_url, instance_path=tmp_path,
                             base_url="http://testserver", extra={"TESTING": True})
    busy = create_app(settings)
    database = busy.extensions["wellbeing.db"]
    assert database.engine.pool.size() == 1 and database.autocommit.pool.size() == 1
    try:
        with database.engine.connect(), database.autocommit.connect():
            started = time.monotonic()
            ready = busy.test_client().get("/readyz")
            took = time.monotonic() - started
        assert ready.status_code == 200 and ready.get_json()["checks"] == {"database": "ok"}
        assert took < 1, took   # the request pools' own wait is 30 s
    finally:
        for engine in (database.engine, database.autocommit, database.probe):
            engine.dispose()
