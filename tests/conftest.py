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
    """Each test starts empty; tables are emptied afterwards (jobs run inline commit for real)."""
    yield
    if "app" in request.fixturenames:
        empty_database(request.getfixturevalue("app"))


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


def login(client, email: str, password: str = factories.PASSWORD):
    token = csrf_token(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})
