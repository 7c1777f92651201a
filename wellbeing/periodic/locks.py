"""A lock in the database that expires: one run of a periodic job at a time, across processes and
machines, on PostgreSQL and SQLite alike."""
from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from wellbeing import db
from wellbeing.db import utcnow
from wellbeing.periodic.models import JobLock


def acquire(name: str, ttl: timedelta) -> str | None:
    """The lock's token when taken (committed at once), or None when another run holds it."""
    token = secrets.token_hex(16)
    now = utcnow()
    taken = db.session.execute(update(JobLock).where(JobLock.name == name, JobLock.expires_at < now)
                               .values(token=token, expires_at=now + ttl)).rowcount
    if not taken:
        try:
            with db.session.begin_nested():
                db.session.add(JobLock(name=name, token=token, expires_at=now + ttl))
        except IntegrityError:
            db.session.rollback()
            return None
    db.session.commit()
    return token


def release(name: str, token: str) -> None:
    db.session.execute(delete(JobLock).where(JobLock.name == name, JobLock.token == token))
    db.session.commit()


@contextmanager
def held(name: str, ttl: timedelta) -> Iterator[bool]:
    """``with held("x", ttl) as mine:`` — ``mine`` is False when another run holds the lock."""
    token = acquire(name, ttl)
    try:
        yield token is not None
    finally:
        if token is not None:
            db.session.rollback()
            release(name, token)
