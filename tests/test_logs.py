"""Log lines: JSON in production, a request id from the caller or made up, echoed and on every line
of the request, an access line per request, and no respondent code, token or password in any line."""
from __future__ import annotations

import io
import json
import logging
import re
from datetime import datetime

import pytest

from tests import factories
from tests.conftest import csrf_token, english_client, login
from wellbeing import db, logs
from wellbeing.accounts.models import Role
from wellbeing.app import create_app
from wellbeing.config import load_settings
from wellbeing.rounds import service
from wellbeing.rounds.models import RoundMode
from wellbeing.schoolyear import SchoolYear


class Captured:
    """What our handler wrote while the test ran."""

    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def records(self) -> list[dict]:
        """Every line parsed as JSON: a line that is not one JSON object fails the test."""
        return [json.loads(line) for line in self.text.splitlines() if line]

    def access(self) -> list[dict]:
        return [r for r in self.records() if r["logger"] == logs.ACCESS_LOGGER]


def _capture(log_format: str):
    stream = io.StringIO()
    handler = logs.make_handler(log_format, stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return Captured(stream), lambda: (root.removeHandler(handler), root.setLevel(level))


@pytest.fixture
def captured():
    result, undo = _capture("json")
    yield result
    undo()


@pytest.fixture
def captured_text():
    result, undo = _capture("text")
    yield result
    undo()


def _open_round_with_code(app) -> str:
    """A real respondent code of an open round."""
    with app.app_context():
        school = factories.school()
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
        round_ = service.open_round(school, SchoolYear.current(), RoundMode.INDIVIDUAL, coordinator)
        [code] = service.issue_codes(round_, 1)
        db.session.commit()
    return code


def test_every_request_gets_one_json_access_line_and_its_id_echoed(app, client, captured):
    response = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.12_x"})
    assert response.headers["X-Request-ID"] == "lb-7f3a.12_x"
    [line] = captured.access()
    assert line["request_id"] == "lb-7f3a.12_x"
    assert (line["level"], line["method"], line["path"], line["status"]) == ("INFO", "GET", "/healthz", 200)
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["time"].endswith("Z") and datetime.fromisoformat(line["time"])
    assert line["message"].startswith("GET /healthz 200")


@pytest.mark.parametrize("offered", ["has space", "a" * 65, "semi;colon", "<script>", "naïve", ""])
def test_an_unsafe_or_missing_request_id_is_replaced_by_a_fresh_one(app, client, captured, offered):
    response = client.get("/healthz", headers={"X-Request-ID": offered})
    echoed = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", echoed)
    assert captured.access()[0]["request_id"] == echoed
    if offered:
        assert offered not in captured.text


def test_each_request_gets_its_own_id(app, client, captured):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != second
    assert [line["request_id"] for line in captured.access()] == [first, second]


def test_a_line_logged_during_a_request_carries_its_id_and_the_reset_token_is_masked(app, client, captured):
    """The outbox mail log (no SMTP in tests) is written inside the request that asks for a reset."""
    with app.app_context():
        email = factories.user().email
        db.session.commit()
    token = csrf_token(client, "/reset")
    response = client.post("/reset", data={"email": email, "csrf_token": token}, headers={"X-Request-ID": "reset-1"})
    assert response.status_code == 302
    during = [r for r in captured.records() if r["logger"] == "wellbeing.mail"]
    assert during, captured.text
    assert all((r["request_id"], r["method"], r["path"]) == ("reset-1", "POST", "/reset") for r in during)
    assert "/reset/***" in during[0]["message"]
    assert not re.search(r"/reset/(?!\*\*\*)", captured.text)
    [access] = [r for r in captured.access() if r["request_id"] == "reset-1"]
    assert (access["path"], access["status"]) == ("/reset", 302)


def test_respondent_codes_and_query_strings_never_reach_the_log(app, captured):
    code = _open_round_with_code(app)
    respondent = app.test_client()
    page = respondent.get(f"/r/{code}/1?from=mail&ref=s3cr3t-query")
    assert page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    entered = respondent.post("/r", data={"code": code, "csrf_token": token})
    assert entered.status_code == 302
    first = respondent.get("/r/answers/1").get_data(as_text=True)
    item = re.search(r'name="item-([^"]+)"', first).group(1)
    saved = respondent.post("/r/answers/autosave", data={"item": item, "value": "3"})
    assert saved.status_code == 200 and saved.get_json() == {"saved": True}
    paths = [(line["method"], line["path"], line["status"]) for line in captured.access()]
    assert paths == [("GET", "/r/***/1", 200), ("POST", "/r", 302), ("GET", "/r/***/1", 200),
                     ("POST", "/r/***/autosave", 200)]
    for secret in (code, code.replace("-", ""), code.split("-")[0], "s3cr3t-query", "from=mail"):
        assert secret not in captured.text


def test_passwords_are_never_logged(app, captured):
    with app.app_context():
        email = factories.user().email
        db.session.commit()
    client = english_client(app)
    assert login(client, email, "Wrong-Password-123").status_code == 401
    assert login(client, email).status_code == 302
    assert [line["status"] for line in captured.access() if line["path"] == "/login"] == [200, 401, 200, 302]
    assert "Wrong-Password-123" not in captured.text and factories.PASSWORD not in captured.text


def test_plain_text_lines_carry_the_request_id_and_mask_codes(app, captured_text):
    client = app.test_client()
    client.get("/r/ABCDE-FGHIJ/2", headers={"X-Request-ID": "plain-1"})
    [line] = [line for line in captured_text.text.splitlines() if "wellbeing.access" in line]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO wellbeing\.access \[plain-1\]: "
                        r"GET /r/\*\*\*/2 200 [\d.]+ ms", line)
    assert "ABCDE" not in captured_text.text


@pytest.fixture
def failing_app(tmp_path):
    """An app of its own with a view that fails, added before its first request."""
    settings = load_settings(env={}, database_url=f"sqlite:///{tmp_path / 'log.sqlite'}", instance_path=tmp_path)
    application = create_app(settings)

    def fail(code):
        raise RuntimeError(f"view failed for /r/{code}/fail")
    application.add_url_rule("/r/<code>/fail", view_func=fail)
    return application


def test_an_unhandled_error_is_logged_with_the_request_id_and_a_500_access_line(failing_app, captured):
    response = failing_app.test_client().get("/r/KLMNO-PQRST/fail", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500 and response.headers["X-Request-ID"] == "boom-1"
    [error] = [r for r in captured.records() if r["level"] == "ERROR"]
    assert error["request_id"] == "boom-1" and "RuntimeError: view failed for /r/***/fail" in error["exception"]
    [access] = captured.access()
    assert (access["request_id"], access["path"], access["status"]) == ("boom-1", "/r/***/fail", 500)
    assert "KLMNO" not in captured.text


@pytest.mark.parametrize(("text", "expected"), [
    ("/r/ABCDE-FGHIJ/3", "/r/***/3"),
    ("/r/ABCDE-FGHIJ", "/r/***"),
    ("link: https://school.example/r/abcde-fghij/1 done", "link: https://school.example/r/***/1 done"),
    ("/invitation/Zx_9-abc/", "/invitation/***/"),
    ("https://x.nl/reset/tok3n?next=/", "https://x.nl/reset/***?next=/"),
    ("/r", "/r"),
    ("/reset", "/reset"),
    ("/school/4/rounds/2", "/school/4/rounds/2"),
    ("postgresql://wellbeing:p%40ss@db:5432/wellbeing", "postgresql://wellbeing:***@db:5432/wellbeing"),
    ("redis://:hunter2@redis:6379/0", "redis://:***@redis:6379/0"),
    ("dbname=x password=hunter2 host=y", "dbname=x password=*** host=y"),
    ("form: email=a@b.nl&password=hunter2&next=/", "form: email=a@b.nl&password=***&next=/"),
])
def test_redact_masks_codes_tokens_and_passwords(text, expected):
    assert logs.redact(text) == expected


def test_loggable_path_drops_the_query_string():
    assert logs.loggable_path("/school/1/report?token=x") == "/school/1/report"


@pytest.mark.parametrize(("production", "log_format", "expected"), [
    (True, None, "json"), (False, None, "text"), (False, "json", "json"), (False, " JSON ", "json"),
    (True, "text", "text"), (True, "xml", "json"), (False, "", "text"),
])
def test_json_in_production_or_when_asked(production, log_format, expected):
    assert logs.wanted_format(production, log_format) == expected


def test_the_format_follows_the_environment_without_an_app():
    assert logs.format_from_environment({"WELLBEING_ENV": "production"}) == "json"
    assert logs.format_from_environment({"LOG_FORMAT": "json"}) == "json"
    assert logs.format_from_environment({}) == "text"


def test_install_replaces_its_own_handler_and_leaves_a_configured_root_alone():
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    try:
        root.handlers = []
        first = logs.install("json")
        second = logs.install("text")
        assert root.handlers == [second] and first is not second
        assert isinstance(second.formatter, logs.TextFormatter) and root.level == logging.INFO
        foreign = logging.NullHandler()
        root.handlers = [foreign]
        assert logs.install("json") is None and root.handlers == [foreign]
    finally:
        root.handlers, root.level = saved, level
