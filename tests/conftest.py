"""Test fixtures: one database per session (PostgreSQL by default, SQLite with
``WELLBEING_TEST_DB=sqlite``), built by running the Alembic migrations, emptied after each test."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from tests import factories, services
from wellbeing import db
from wellbeing.app import create_app
from wellbeing.config import load_settings
from wellbeing.models import Base

BACKEND = os.environ.get("WELLBEING_TEST_DB", "postgresql")


@pytest.fixture(scope="session")
def redis_url():
    with services.redis() as url:
        yield url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if BACKEND == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    with services.postgres() as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    settings = load_settings(env={}, database_url=database_url, instance_path=instance,
                             base_url="http://testserver", extra={"TESTING": True})
    application = create_app(settings)
    with application.app_context():
        from alembic import command

        from wellbeing.cli import alembic_config
        command.upgrade(alembic_config(), "head")
    return application


def empty_database(application) -> None:
    with application.app_context():
        db.session.remove()
        with db.engine().begin() as connection:
            tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
            if connection.dialect.name == "postgresql":
                connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Each test starts empty; tables are emptied afterwards (jobs run inline commit for real), and so
    is Redis: a job left on a queue names a job row by an id the next test's rows reuse."""
    yield
    if "app" in request.fixturenames:
        empty_database(request.getfixturevalue("app"))
    if "redis_url" in request.fixturenames:
        from redis import Redis

        Redis.from_url(request.getfixturevalue("redis_url")).flushdb()


@pytest.fixture
def ctx(app):
    """An app context for the test body. Requests made meanwhile share it (Flask reuses a pushed
    context), so use it with one client only; tests with several clients open short contexts."""
    with app.app_context():
        yield
        db.session.rollback()


def english_client(app):
    """A browser-like client that reads English (tests assert the msgids); Dutch has its own tests."""
    test_client = app.test_client()
    with test_client.session_transaction() as session:
        session["locale"] = "en"
    return test_client


@pytest.fixture
def client(app):
    return english_client(app)


@pytest.fixture
def outbox(app):
    """The e-mails written to the local outbox during the test, newest last."""
    path = Path(app.instance_path) / "outbox"
    before = set(path.glob("*.eml")) if path.exists() else set()

    def read() -> list[str]:
        files = sorted(set(path.glob("*.eml")) - before, key=lambda p: p.stat().st_mtime_ns)
        return [f.read_text() for f in files]
    return read


def csrf_token(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def login(client, email: str, password: str = factories.PASSWORD, secret: str = factories.TOTP_SECRET):
    """Log in as a person would; a second-factor step is completed with ``secret``."""
    token = csrf_token(client, "/login")
    response = client.post("/login", data={"email": email, "password": password, "csrf_token": token})
    if response.status_code == 302 and response.headers["Location"].startswith("/login/code"):
        response = enter_code(client, email, secret)
    return response


def enter_code(client, email: str, secret: str = factories.TOTP_SECRET):
    token = csrf_token(client, "/login/code")
    return client.post("/login/code", data={"code": unused_code(client.application, email, secret),
                                            "csrf_token": token})


def unused_code(application, email: str, secret: str = factories.TOTP_SECRET) -> str:
    """A valid code the user has not used yet: the app accepts each time step once, so a second
    login within 30 seconds takes the next step's code (accepted for clock drift), or waits."""
    import time

    import pyotp

    # Read on a connection of its own: the caller's session may be inside a test's transaction.
    with application.extensions["wellbeing.db"].engine.connect() as connection:
        last = connection.execute(text(
            "SELECT f.last_counter FROM second_factor f JOIN user_account u ON u.id = f.user_id "
            "WHERE lower(u.email) = :email"), {"email": email.lower()}).scalar() or 0
    totp = pyotp.TOTP(secret)
    while True:
        step = int(time.time()) // totp.interval
        if last + 1 <= step + 1:
            return totp.generate_otp(max(step, last + 1))
        time.sleep(totp.interval - time.time() % totp.interval + 0.1)


@pytest.fixture(scope="session")
def oidc_world(tmp_path_factory):
    """Real OpenID Connect providers (node-oidc-provider), started once for the test session."""
    from tests.oidc_provider import providers

    with providers(tmp_path_factory.mktemp("oidc")) as world:
        yield world
