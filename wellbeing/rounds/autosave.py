"""Autosave: one answer saved the moment a respondent chooses it.

The hottest path of the product: a whole team answers at once, a request per click. So it is
written for that: plain rows instead of ORM objects, statements built and compiled once, an
autocommit connection (each statement is atomic by itself, so no BEGIN and COMMIT round trips),
and, once a code is known in this process, a single statement per save.

The credential is the secret in the respondent's cookie (``respond.COOKIE``). What it leads to (its
respondent, the round's instrument, the school type) never changes, so a process remembers it for a
short while. Whether the round is still open, the answers not yet sent and the browser still the one
bound does change, so the save itself checks that, in the same statement that writes the answer: no
answer lands in a closed round, after submission or from a browser the respondent has left for
another device, whatever happens between two requests.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, replace

from cachetools import TTLCache
from flask import current_app
from sqlalchemy import bindparam, select, update
from sqlalchemy.engine import Connection

from wellbeing.accounts.security import token_digest
from wellbeing.rounds.models import Respondent, Round, RoundStatus
from wellbeing.rounds.service import answer_upsert, item_ids, today_utc
from wellbeing.tenancy.models import School


@dataclass(frozen=True)
class Target:
    """What a browser secret leads to, read as one plain row."""

    respondent_id: int
    usable: bool            # the round is open and the answers are not yet sent
    started: bool
    instrument_id: str
    instrument_version: int
    school_type: str


_TARGET = (select(Respondent.id, Respondent.submitted_at, Respondent.started_at, Round.status,
                  Round.instrument_id, Round.instrument_version, School.school_type)
           .join(Round, Round.id == Respondent.round_id).join(School, School.id == Round.school_id)
           .where(Respondent.session_hash == bindparam("session_hash")))

# The answer upsert of ``service.save_answer``, written only while the round is open, the respondent
# has not submitted and the browser is the one bound, all checked by the statement that writes.
_SAVE = answer_upsert(
    "SELECT r.id, :item_id, :value, :updated_at FROM respondent r JOIN round o ON o.id = r.round_id "
    "WHERE r.id = :respondent_id AND r.session_hash = :session_hash AND r.submitted_at IS NULL AND o.status = :open"
).bindparams(open=RoundStatus.OPEN.value)


class _Memory:
    """Targets by secret digest, for ``seconds``; at most ``size`` of them, the least recently used
    leaving first (cachetools' TTLCache, behind a lock: request threads share it)."""

    def __init__(self, seconds: float = 60, size: int = 20_000) -> None:
        self._targets: TTLCache[str, Target] = TTLCache(maxsize=size, ttl=seconds)
        self._lock = threading.Lock()

    def get(self, digest: str) -> Target | None:
        with self._lock:
            return self._targets.get(digest)

    def put(self, digest: str, target: Target) -> None:
        with self._lock:
            self._targets[digest] = target

    def forget(self, digest: str) -> None:
        with self._lock:
            self._targets.pop(digest, None)


def _memory() -> _Memory:
    return current_app.extensions.setdefault("wellbeing.autosave", _Memory())


def target(connection: Connection, digest: str) -> Target | None:
    row = connection.execute(_TARGET, {"session_hash": digest}).first()
    if row is None:
        return None
    return Target(row[0], row[1] is None and row[3] == RoundStatus.OPEN, row[2] is not None, row[4], row[5],
                  row[6].value)


def save(connection: Connection, secret: str, item_id: str, value: int | None) -> str:
    """Save one answer for the browser holding ``secret``: "saved", "invalid" (the statement is not
    one this respondent answers) or "refused" (unknown secret, closed round, answers already sent)."""
    digest, memory = token_digest(secret), _memory()
    found = memory.get(digest)
    remember = found is None   # a fresh lookup starts the minute; using a remembered one does not extend it
    if found is None:
        found = target(connection, digest)
        if found is None or not found.usable:
            return "refused"
    if item_id not in item_ids(found.instrument_id, found.instrument_version, found.school_type):
        return "invalid"
    now = today_utc()
    written = connection.execute(_SAVE, {"respondent_id": found.respondent_id, "session_hash": digest,
                                         "item_id": item_id, "value": value, "updated_at": now}).rowcount
    if not written:
        memory.forget(digest)
        return "refused"
    if not found.started:
        connection.execute(update(Respondent).where(Respondent.id == found.respondent_id,
                                                    Respondent.started_at.is_(None)).values(started_at=now))
        found, remember = replace(found, started=True), True
    if remember:
        memory.put(digest, found)
    return "saved"
