"""Password hashing (argon2id), single-use link tokens and login throttling."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from wellbeing import db
from wellbeing.accounts.models import LoginThrottle, TokenPurpose, User, UserToken
from wellbeing.db import utcnow

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against this keeps the time of a login for an unknown address equal to a known one.
_DUMMY_HASH = _hasher.hash("timing-equaliser")

MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(user: User | None, password: str) -> bool:
    """True when ``password`` matches; rehashes transparently when parameters changed."""
    stored = user.password_hash if user and user.password_hash else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    if stored is None:
        return False
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
    return True


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, purpose: TokenPurpose, lifetime: timedelta) -> str:
    """Create a token for ``user``; earlier unused tokens for the same purpose stop working."""
    for old in db.session.scalars(select(UserToken).where(
            UserToken.user_id == user.id, UserToken.purpose == purpose, UserToken.used_at.is_(None))):
        old.used_at = utcnow()
    token = secrets.token_urlsafe(32)
    db.session.add(UserToken(user=user, purpose=purpose, token_hash=token_digest(token),
                             expires_at=utcnow() + lifetime))
    return token


def find_token(token: str, purpose: TokenPurpose) -> UserToken | None:
    """The unused, unexpired token row for ``token``, or None."""
    row = db.session.scalar(select(UserToken).where(UserToken.token_hash == token_digest(token),
                                                    UserToken.purpose == purpose))
    if row is None or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


#: The longest a growing lock can last.
MAX_LOCK = timedelta(hours=24)


class Throttle:
    """Counts failures per key within a window; locks the key once the limit is reached. Every
    next lock of the same key lasts twice as long as the one before (up to a day); a key that stayed
    quiet for a day starts again from the first lock."""

    def __init__(self, max_failures: int, lock_minutes: int) -> None:
        self.max_failures = max_failures
        self.window = timedelta(minutes=lock_minutes)

    def locked(self, keys: list[str], now: datetime | None = None) -> bool:
        now = now or utcnow()
        rows = db.session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_(keys)))
        return any(r.locked_until is not None and r.locked_until > now for r in rows)

    def fail(self, keys: list[str], now: datetime | None = None) -> None:
        now = now or utcnow()
        for key in keys:
            row = _row(key, now)
            if now - row.window_start > MAX_LOCK:
                row.lock_count = 0
            if now - row.window_start > self.window and not (row.locked_until and row.locked_until > now):
                row.failures, row.window_start, row.locked_until = 0, now, None
            row.failures += 1
            if row.failures >= self.max_failures:
                row.locked_until = now + min(self.window * 2 ** min(row.lock_count, 10), MAX_LOCK)
                row.lock_count += 1
                row.failures, row.window_start = 0, now

    def clear(self, keys: list[str]) -> None:
        for key in keys:
            row = db.session.get(LoginThrottle, key)
            if row is not None:
                db.session.delete(row)


def _row(key: str, now: datetime) -> LoginThrottle:
    row = db.session.get(LoginThrottle, key, with_for_update=True)
    if row is None:
        row = LoginThrottle(key=key, failures=0, window_start=now, lock_count=0)
        db.session.add(row)
        db.session.flush()
    return row


def within_rate(key: str, limit: int, per: timedelta, now: datetime | None = None) -> bool:
    """Count one request for ``key``; False once more than ``limit`` fell within ``per``. The caller
    commits. Kept in the database, so the limit holds across every web worker."""
    now = now or utcnow()
    row = _row(key, now)
    if now - row.window_start > per:
        row.failures, row.window_start = 0, now
    row.failures += 1
    return row.failures <= limit
