"""One way for a change to travel: the unit of work notes which schools' data it wrote, and once it
has committed, each of those schools gets its summaries refreshed, once.

Views and services only change rows. ``after_flush`` sees every row of a ``db.SchoolData`` model
added, changed or deleted through the session and notes its school; writes the session cannot see
(bulk ``update``/``delete`` statements, raw connections) call ``changed(school_id)``. Just before
the commit the schools are resolved (rows of a round lead to the round's school) and the hooks
registered with ``on_change`` run with the set of school ids, inside the transaction: the summary
refresh enqueues its jobs there, so they run (or reach the queue) only once the commit succeeded.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import event, select
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction

from wellbeing import db
from wellbeing.rounds.models import Round

SCHOOLS = "wellbeing.changed_schools"
ROUNDS = "wellbeing.changed_rounds"
OFF = "wellbeing.changes_off"
#: Called after a commit with the ids of the schools whose data it changed (in registration order).
HOOKS: list[Callable[[set[int]], None]] = []


def on_change(hook: Callable[[set[int]], None]) -> Callable[[set[int]], None]:
    """Register ``hook(school_ids)`` to run in every commit that changes those schools' data, just
    before it; what the hook writes (job rows) commits with the change, what it defers with
    ``db.after_commit`` runs after it."""
    if hook not in HOOKS:
        HOOKS.append(hook)
    return hook


def changed(school_id: int) -> None:
    """Mark the school changed in the current transaction (for writes the session cannot see)."""
    db.session().info.setdefault(SCHOOLS, set()).add(school_id)


@contextmanager
def unobserved() -> Iterator[None]:
    """Writes inside this block mark no school (bulk loaders that refresh every school at the end)."""
    session = db.session()
    session.info[OFF] = True
    try:
        yield
    finally:
        session.info.pop(OFF, None)


def _note(session: Session, rows: Iterable[object]) -> None:
    schools: set[int] = session.info.setdefault(SCHOOLS, set())
    rounds: set[int] = session.info.setdefault(ROUNDS, set())
    for row in rows:
        if not isinstance(row, db.SchoolData) or not row.changes_school():
            continue
        key = getattr(row, row.school_key, None)
        if key is None:
            continue
        (rounds if row.school_key == "round_id" else schools).add(key)


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    if session.info.get(OFF):
        return
    _note(session, session.new)
    _note(session, session.deleted)
    _note(session, (row for row in session.dirty if session.is_modified(row, include_collections=False)))


def _before_commit(session: Session) -> None:
    """Resolve the changed rounds to their schools while the transaction is still open."""
    session.flush()
    rounds = session.info.pop(ROUNDS, set())
    if rounds:
        session.info.setdefault(SCHOOLS, set()).update(
            session.scalars(select(Round.school_id).where(Round.id.in_(rounds))))
    schools = session.info.pop(SCHOOLS, set())
    if schools:
        for hook in HOOKS:
            hook(schools)


def _forget(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.nested:  # a savepoint: the rows written before it still stand
        return
    session.info.pop(SCHOOLS, None)
    session.info.pop(ROUNDS, None)


def init_app() -> None:
    """Watch every session of the app (``db.Session``); safe to call for each app made."""
    if not event.contains(db.Session, "after_flush", _after_flush):
        event.listen(db.Session, "after_flush", _after_flush)
        event.listen(db.Session, "after_soft_rollback", _forget)
    if _before_commit not in db.Session.BEFORE_COMMIT:
        db.Session.BEFORE_COMMIT.append(_before_commit)
