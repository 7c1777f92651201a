"""Bookkeeping for periodic jobs: locks that expire, and notices that must go out only once."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing.db import Base, UTCDateTime, utcnow


class JobLock(Base):
    """Held by one run of a periodic job; a lock whose ``expires_at`` has passed may be taken over,
    so a crashed worker never blocks a job for longer than its time to live."""

    __tablename__ = "job_lock"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class SentNotice(Base):
    """A reminder that went out: ``kind`` (e.g. "round-closing") for ``key`` (e.g. the round id).
    Written before the e-mail is queued, so a second run finds it and sends nothing."""

    __tablename__ = "sent_notice"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_sent_notice_kind_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(48))
    key: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
