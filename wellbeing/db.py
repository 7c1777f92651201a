"""Engine, session and declarative base.

``session`` is a scoped session bound to the current app's engine and removed at the end of every
app context. Helpers never commit: the request or the job owns the transaction.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import ClassVar, TypeVar

from flask import Flask, current_app, g
from sqlalchemy import DateTime, MetaData, create_engine, event, orm
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import DeclarativeBase, scoped_session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SchoolData:
    """Mixin for the models whose rows are a school's own data: writing one marks its school
    changed (``wellbeing.changes``), so the school's summaries are refreshed after the commit.

    ``school_key`` names the attribute that leads to the school: ``"school_id"``, ``"round_id"``
    (a row of a round) or ``"id"`` (the school itself).
    """

    school_key: ClassVar[str] = "school_id"

    def changes_school(self) -> bool:
        """Whether writing this row changes what the school's summaries show (all rows, by default)."""
        return True


class Session(orm.Session):
    """A session that runs hooks around its commit, outside SQLAlchemy's own events, where they may
    use the session freely: ``BEFORE_COMMIT`` hooks add to the transaction being committed, and
    each callable in ``info["after_commit"]`` runs once the commit succeeded."""

    BEFORE_COMMIT: ClassVar[list[Callable[[orm.Session], None]]] = []

    def commit(self) -> None:
        if self.in_transaction():
            for hook in self.BEFORE_COMMIT:
                hook(self)
        super().commit()
        waiting = self.info.pop("after_commit", [])
        for action in waiting:
            action()

    def rollback(self) -> None:
        super().rollback()
        self.info.pop("after_commit", None)


def after_commit(action: Callable[[], object]) -> None:
    """Run ``action`` once the current transaction of ``session`` commits (never on rollback): how a
    helper acts on the caller's work without committing it."""
    session.info.setdefault("after_commit", []).append(action)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every backend (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use utcnow()")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


def _session_factory():
    return current_app.extensions["wellbeing.db"].sessionmaker()


session = scoped_session(_session_factory)


class Database:
    """The engine and sessionmaker of one app, a second pool for ``autocommit`` and a third, of one
    connection, for the readiness probe.

    ``pool_size`` is the most connections each of the first two pools opens; they open as needed
    and stay open (no overflow: a connection opened and closed per request costs PostgreSQL a
    process start each time). A web process has more threads than that: the ones beyond it wait
    for a connection, while ``/readyz`` uses its own. The count across processes is in
    deploy/README.md.
    """

    # Seconds a request waits for a connection before it gets a 503: under a burst a slow answer is
    # better than an error, up to just below gunicorn's request timeout (60 s; nginx waits 75 s).
    WAIT = 50

    def __init__(self, url: str, pool_size: int = 15) -> None:
        self.engine = make_engine(url, pool_size=pool_size, pool_timeout=self.WAIT)
        self.sessionmaker = sessionmaker(bind=self.engine, expire_on_commit=False, class_=Session)
        if url.startswith("sqlite"):  # no server, no ping: the same pool, switched per connection
            self.autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
            self.probe = self.autocommit
        else:  # its own pool, whose connections stay in autocommit
            self.autocommit = make_engine(url, ping=False, pool_size=pool_size, pool_timeout=self.WAIT,
                                          isolation_level="AUTOCOMMIT")
            # /readyz: never queued behind the load's connections, and quick to say "no" (a second
            # waits for the connection, two for the server to answer).
            self.probe = make_engine(url, ping=False, pool_size=1, max_overflow=1, pool_timeout=1,
                                     isolation_level="AUTOCOMMIT",
                                     connect_args={"connect_timeout": 2, "options": "-c statement_timeout=2000"})


def make_engine(url: str, ping: bool = True, pool_size: int = 15, max_overflow: int = 0, **options) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # hide_parameters: an SQL error in the log shows the statement, never the values (answers, addresses).
    return create_engine(url, pool_pre_ping=ping, pool_size=pool_size, max_overflow=max_overflow,
                         hide_parameters=True, **options)


def commit_with_response() -> None:
    """Commit this request's transaction once its response is ready, if the request succeeded
    (a refused one, 400 and up, is rolled back). For pages that only read but leave a trace."""
    g.wellbeing_commit_with_response = True


def init_app(app: Flask, url: str, pool_size: int = 15) -> None:
    app.extensions["wellbeing.db"] = Database(url, pool_size)

    @app.after_request
    def _end_of_request(response):
        # The request owns its transaction: what it marked for the end commits with a good answer.
        if g.pop("wellbeing_commit_with_response", False):
            if response.status_code < 400:
                session.commit()
            else:
                session.rollback()
        return response

    @app.teardown_appcontext
    def _remove_session(_exc):
        session.remove()


def engine() -> Engine:
    return current_app.extensions["wellbeing.db"].engine


def probe() -> Engine:
    """The readiness probe's own connection (``/readyz``), apart from the pools the requests use."""
    return current_app.extensions["wellbeing.db"].probe


T = TypeVar("T")


def autocommit(work: Callable[[Connection], T]) -> T:
    """Run ``work`` on a connection whose every statement commits by itself, for hot paths made of
    single atomic statements (autosave). Its pool skips the ping that the main pool sends before every
    use (a round trip per request); a connection found dropped (the server restarted) is replaced and
    ``work`` runs once more, so ``work`` must be safe to repeat."""
    for attempt in (1, 2):
        try:
            with current_app.extensions["wellbeing.db"].autocommit.connect() as connection:
                return work(connection)
        except DBAPIError as exc:
            if attempt == 2 or not exc.connection_invalidated:
                raise
    raise AssertionError("unreachable")
