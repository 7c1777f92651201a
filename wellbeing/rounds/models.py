"""Rounds, anonymous respondents and their answers, and the team's agreed scores.

A respondent row carries no name or e-mail. A printed (or mailed) code is a ticket to enter, stored
only as a SHA-256 hash until its first use; then the row is bound to that browser's own secret
(also hashed) and the code opens nothing any more. Answers point at the round, and the round at the
instrument id and version, so an old round stays readable when an instrument changes. The team
picture is published in releases (``TeamPictureRelease``); every page and export reads the latest.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, SmallInteger, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wellbeing.db import Base, SchoolData, UTCDateTime, utcnow
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


class Round(SchoolData, Base):
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


class Respondent(SchoolData, Base):
    __tablename__ = "respondent"
    school_key = "round_id"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    #: Hash of the code that opens this row now: the printed one until its first use, later a
    #: private resume code the respondent asked for; None otherwise (and always once sent).
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: Hash of the secret in the browser the row is bound to; None before binding and once sent.
    session_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    category: Mapped[Category | None] = mapped_column(_enum(Category, "respondent_category"))
    # Both moments are kept to the day only, so they cannot be matched with a request in a log.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The number of the team picture release that first included these answers.
    released_in: Mapped[int | None] = mapped_column(Integer)

    round: Mapped[Round] = relationship()


class Invitee(SchoolData, Base):
    """An address the coordinator invited by e-mail, kept only to send reminders to the whole list.

    Deliberately without any link to a respondent, a code or an answer.
    """

    __tablename__ = "round_invitee"
    school_key = "round_id"
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


class Consensus(SchoolData, Base):
    """What the team agreed on for one statement, recorded by the coordinator as the team decided.

    A statement without a row is "not discussed". ``discussed`` is False only for rows from before
    explicit recording (migration 0015) that look like the old pre-filled form (a score, no
    rationale, no priority): nobody can tell them from a median saved in one click, so they count
    as not discussed; their score is kept so a downgrade restores them. New rows are always True.
    """

    __tablename__ = "consensus"
    school_key = "round_id"
    __table_args__ = (UniqueConstraint("round_id", "item_id", name="uq_consensus_round_item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(String(96))
    agreed_score: Mapped[int | None] = mapped_column(SmallInteger)
    rationale: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[Priority] = mapped_column(_enum(Priority, "priority"), default=Priority.NONE)
    discussed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class TeamPictureRelease(Base):
    """One published state of a round's team picture: release ``number`` holds the submitted
    respondents with ``released_in <= number``; ``shown`` records which figures it showed (see
    ``wellbeing.rounds.disclosure.Shown``), so the next release can be checked against it. None only
    for a release a migration made from an older round: then it showed what the rule allows a
    first release."""

    __tablename__ = "team_picture_release"
    __table_args__ = (UniqueConstraint("round_id", "number", name="uq_team_picture_release_round_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    respondents: Mapped[int] = mapped_column(Integer)
    minimum: Mapped[int] = mapped_column(Integer)
    final: Mapped[bool] = mapped_column(Boolean, default=False)
    made_on: Mapped[date] = mapped_column(Date)
    shown: Mapped[dict | None] = mapped_column(JSON)
