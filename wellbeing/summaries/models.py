"""Summary tables: what upward views read instead of answers.

Refreshed by jobs when a school's round is finalised or its plan, menu card or vignet data change
(and for all schools by ``wellbeing summaries refresh``). A region page reads one row per school
and a handful per finalised round, so its cost grows with schools, never with answers.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing.db import Base, UTCDateTime, utcnow


class SchoolStatus(Base):
    """Where one school stands: progress-level facts only, no content."""

    __tablename__ = "summary_school"

    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    school_type: Mapped[str] = mapped_column(String(8))
    phase: Mapped[int] = mapped_column(SmallInteger, default=1)
    phase_complete: Mapped[bool] = mapped_column(Boolean, default=False)
    readiness_met: Mapped[int] = mapped_column(SmallInteger, default=0)
    readiness_total: Mapped[int] = mapped_column(SmallInteger, default=0)
    certificate_expires: Mapped[date | None] = mapped_column(Date)
    last_activity: Mapped[datetime | None] = mapped_column(UTCDateTime())
    round_year: Mapped[str | None] = mapped_column(String(9))      # most recent round
    round_status: Mapped[str | None] = mapped_column(String(16))
    round_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    respondents_invited: Mapped[int] = mapped_column(Integer, default=0)
    respondents_submitted: Mapped[int] = mapped_column(Integer, default=0)
    finalised_this_year: Mapped[bool] = mapped_column(Boolean, default=False)
    uncovered_high: Mapped[int] = mapped_column(SmallInteger, default=0)
    overdue_actions: Mapped[int] = mapped_column(SmallInteger, default=0)
    doing_educatie: Mapped[bool] = mapped_column(Boolean, default=False)
    doing_signaleren: Mapped[bool] = mapped_column(Boolean, default=False)
    doing_omgeving: Mapped[bool] = mapped_column(Boolean, default=False)
    doing_beleid: Mapped[bool] = mapped_column(Boolean, default=False)
    uses_universal: Mapped[bool] = mapped_column(Boolean, default=False)
    uses_selective: Mapped[bool] = mapped_column(Boolean, default=False)
    uses_indicated: Mapped[bool] = mapped_column(Boolean, default=False)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RoundSummary(Base):
    """One finalised round, with element scores only when the team picture reached the threshold."""

    __tablename__ = "summary_round"

    round_id: Mapped[int] = mapped_column(ForeignKey("round.id", ondelete="CASCADE"), primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))
    school_type: Mapped[str] = mapped_column(String(8))
    school_year: Mapped[str] = mapped_column(String(9))
    scored: Mapped[bool] = mapped_column(Boolean, default=False)


class ElementSummary(Base):
    __tablename__ = "summary_element"

    round_id: Mapped[int] = mapped_column(ForeignKey("summary_round.round_id", ondelete="CASCADE"),
                                          primary_key=True)
    element_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    score: Mapped[float] = mapped_column(Float)


class PrioritySummary(Base):
    """A statement the team gave a high priority in a finalised round."""

    __tablename__ = "summary_priority"

    round_id: Mapped[int] = mapped_column(ForeignKey("summary_round.round_id", ondelete="CASCADE"),
                                          primary_key=True)
    item_id: Mapped[str] = mapped_column(String(96), primary_key=True)
