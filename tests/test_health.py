"""/healthz says the process is up; /readyz checks the database and Redis for real."""
from dataclasses import replace


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
