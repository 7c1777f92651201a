"""Sessions the server knows: a signed cookie alone opens nothing.

At login the cookie gets a fresh random session id (and, because the cookie is emptied first, a
fresh CSRF token); the database keeps its SHA-256 in ``login_session``. Every request of a signed-in
user loads the user and that row in one query; a missing row, an idle session or an old one is
signed out. Deleting rows therefore ends every copy of a cookie: logout, a password reset, a change
of roles and "sign out everywhere" all do so.

Requests without ``_user_id`` in the cookie (respondents autosaving, health checks) never reach
this code: Flask-Login calls the user loader only for signed-in cookies.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, g, request, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session

from wellbeing import db
from wellbeing.accounts.models import Membership, User
from wellbeing.accounts.security import token_digest
from wellbeing.auth.models import LoginSession
from wellbeing.db import utcnow

SESSION_KEY = "_sid"
# last_seen_at is written at most this often per session: idle detection needs minutes, not seconds.
TOUCH_EVERY = timedelta(seconds=60)
# What survives the fresh start of a cookie at login: the chosen language only.
KEPT_ON_LOGIN = ("locale",)


def _settings():
    return current_app.extensions["wellbeing.settings"]


def fresh_cookie() -> None:
    """Empty the cookie (a new session id and CSRF token follow), keeping the chosen language."""
    kept = {k: session[k] for k in KEPT_ON_LOGIN if k in session}
    session.clear()
    session.update(kept)
    g.pop("csrf_token", None)  # Flask-WTF caches the request's token here


def start(user: User) -> None:
    """Sign ``user`` in on this browser with a new session id. The caller commits."""
    fresh_cookie()
    login_user(user)
    token = secrets.token_urlsafe(32)
    session[SESSION_KEY] = token
    db.session.add(LoginSession(user_id=user.id, token_hash=token_digest(token),
                                client=(request.remote_addr or "")[:45],
                                user_agent=(request.user_agent.string or "")[:200]))


def renew(user: User) -> None:
    """A change of privilege on this browser: forget its session, start a new one (new session id,
    new CSRF token). The caller commits."""
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == token_digest(token)))
    start(user)


def end() -> None:
    """Sign this browser out and forget its session on the server. Commits."""
    token = session.get(SESSION_KEY)
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == token_digest(token)))
        db.session.commit()
    logout_user()
    fresh_cookie()


def revoke_all(user_id: int, keep_current: bool = False) -> None:
    """End every session of the user (optionally all but this browser's). The caller commits."""
    statement = delete(LoginSession).where(LoginSession.user_id == user_id)
    token = session.get(SESSION_KEY) if keep_current else None
    if token:
        statement = statement.where(LoginSession.token_hash != token_digest(token))
    db.session.execute(statement)


def current_token_hash() -> str | None:
    token = session.get(SESSION_KEY)
    return token_digest(token) if token else None


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the user, if this cookie's session is known, fresh and theirs."""
    token = session.get(SESSION_KEY)
    if not user_id.isdigit() or not token:
        return None
    row = db.session.execute(
        select(User, LoginSession).join(LoginSession, LoginSession.user_id == User.id)
        .where(User.id == int(user_id), LoginSession.token_hash == token_digest(token))).first()
    if row is None:
        return None
    user, login_session = row
    now = utcnow()
    settings = _settings()
    idle = now - login_session.last_seen_at > timedelta(minutes=settings.session_idle_minutes)
    old = now - login_session.created_at > timedelta(hours=settings.session_max_hours)
    if idle or old or not user.is_active:
        # Outside the request's transaction: the request may never commit (a GET).
        db.autocommit(lambda c: c.execute(delete(LoginSession).where(LoginSession.id == login_session.id)))
        g.session_expired = True
        return None
    if now - login_session.last_seen_at > TOUCH_EVERY:
        db.autocommit(lambda c: c.execute(update(LoginSession).where(LoginSession.id == login_session.id)
                                          .values(last_seen_at=now)))
        login_session.last_seen_at = now
    return user


def active_sessions(user_id: int) -> list[LoginSession]:
    return list(db.session.scalars(select(LoginSession).where(LoginSession.user_id == user_id)
                                   .order_by(LoginSession.last_seen_at.desc())))


@event.listens_for(Session, "after_flush")
def _end_sessions_when_roles_change(session_: Session, _context) -> None:
    """A membership added, changed or removed is a change of privilege: that user signs in again."""
    changed = [*session_.new, *session_.deleted,
               *(m for m in session_.dirty if session_.is_modified(m, include_collections=False))]
    user_ids = {m.user_id for m in changed if isinstance(m, Membership) and m.user_id is not None}
    if user_ids:
        session_.connection().execute(delete(LoginSession.__table__)
                                      .where(LoginSession.__table__.c.user_id.in_(user_ids)))
