"""Rounds, anonymous respondents and their answers, and the team's agreed scores.

A respondent row carries no name or e-mail; its link token is stored only as a SHA-256 hash.
Answers point at the round, and the round at the instrument id and version, so an old round stays
readable when an instrument changes.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wellbeing.db import Base, UTCDateTime, utcnow
from wellbeing.tenancy.models import School, _enum


class RoundMode(str, enum.Enum):
    INDIVIDUAL = "individual"  # each member alone, through a single-use code or link
    MEETING = "meeting"        # together in a team meeting: one set of answers


class RoundStatus(str, enum.Enum):
    OPEN = "open"
    CLOSED = "closed"
    FINALISED = "finalised"


class Category(str, enum.Enum):
    TEACHER = "teacher"
    SUPPORT = "support"
    MANAGEMENT = "management"
    CARE = "care"


class Priority(str, enum.Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NONE = "none"


class Round(Base):
    __tablename__ = "round"
    __table_args__ = (UniqueConstraint("school_id", "school_year", "instrument_id", name="uq_round_school_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    school_year: Mapped[str] = mapped_column(String(9))
    instrument_id: Mapped[str] = mapped_column(String(64))
    instrument_version: Mapped[int] = mapped_column(Integer)
    mode: Mapped[RoundMode] = mapped_column(_enum(RoundMode, "round_mode"))
    status: Mapped[RoundStatus] = mapped_column(_enum(RoundStatus, "round_status"), default=RoundStatus.OPEN)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_on: Mapped[date | None] = mapped_column(Date)  # planned; the team is reminded before it

    school: Mapped[School] = relationship()


class Respondent(Base):
    __tablename__ = "respondent"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[Category | None] = mapped_column(_enum(Category, "respondent_category"))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[Round] = relationship()


class Invitee(Base):
    """An address the coordinator invited by e-mail, kept only to send reminders to the whole list.

    Deliberately without any link to a respondent, a code or an answer.
    """

    __tablename__ = "round_invitee"
    __table_args__ = (UniqueConstraint("round_id", "email", name="uq_invitee_round_email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))


class Answer(Base):
    """One respondent's score on one statement; ``value`` None means "don't know"."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("respondent_id", "item_id", name="uq_answer_respondent_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("respondent.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(96))
    value: Mapped[int | None] = mapped_column(SmallInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Consensus(Base):
    """The score and priority the team agreed on for one statement."""

    __tablename__ = "consensus"
    __table_args__ = (UniqueConstraint("round_id", "item_id", name="uq_consensus_round_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(96))
    agreed_score: Mapped[int | None] = mapped_column(SmallInteger)
    rationale: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[Priority] = mapped_column(_enum(Priority, "priority"), default=Priority.NONE)
