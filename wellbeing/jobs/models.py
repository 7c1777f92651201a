"""A job as data: a row per job, written in the same transaction as the work that needs it.

The row is the truth; RQ is the transport. A request commits its work and the row together, then
hands the job to RQ. When Redis is unreachable the row stays ``pending`` and the dispatcher
(``wellbeing.jobs.outbox``) sends it later; a job that RQ lost, abandoned or gave up on is repaired
or marked failed there, so nothing is lost and nothing stays "being made" for good.
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing.db import Base, UTCDateTime, utcnow
from wellbeing.tenancy.models import _enum


class JobState(str, enum.Enum):
    PENDING = "pending"    # recorded, not (yet, or no longer) handed to RQ
    QUEUED = "queued"      # handed to RQ as ``rq_id``
    RUNNING = "running"    # a worker started it
    DONE = "done"
    FAILED = "failed"      # gave up after its attempts; the job's give-up hook told the user


#: States in which a job still waits to start: a second job with the same ``waiting_key`` is not needed.
WAITING = (JobState.PENDING, JobState.QUEUED)


class JobRecord(Base):
    __tablename__ = "job_record"
    __table_args__ = (
        # One waiting job per key (e.g. one summary refresh per school): a job that started frees it.
        Index("uq_job_record_waiting_key", "waiting_key", unique=True,
              postgresql_where=text("state IN ('pending', 'queued')"),
              sqlite_where=text("state IN ('pending', 'queued')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    queue: Mapped[str] = mapped_column(String(16))
    #: JSON ``[args, kwargs]``; emptied once the job is done or failed (mail bodies hold links).
    arguments: Mapped[str | None] = mapped_column(Text)
    state: Mapped[JobState] = mapped_column(_enum(JobState, "job_state"), default=JobState.PENDING, index=True)
    waiting_key: Mapped[str | None] = mapped_column(String(200))
    rq_id: Mapped[str | None] = mapped_column(String(64))
    #: How often the job was handed to RQ (RQ's own retries of one hand-over are not counted).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    error: Mapped[str] = mapped_column(Text, default="")
