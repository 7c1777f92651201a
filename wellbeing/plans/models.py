"""The multi-year plan: a window of up to four school years, goals, and actions per pillar."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wellbeing.db import Base, SchoolData, UTCDateTime, utcnow
from wellbeing.schoolyear import SchoolYear
from wellbeing.tenancy.models import _enum

MAX_YEARS = 4


class ActionStatus(str, enum.Enum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    STOPPED = "stopped"

    @property
    def unfinished(self) -> bool:
        return self in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class Period(str, enum.Enum):
    """When in the school year an action runs: all year, or one of four periods of three months."""

    YEAR = "year"
    P1 = "p1"  # August–October
    P2 = "p2"  # November–January
    P3 = "p3"  # February–April
    P4 = "p4"  # May–July


class Plan(SchoolData, Base):
    """One per school: the years the plan covers and who carries it."""

    __tablename__ = "plan"
    __table_args__ = (CheckConstraint(f"years BETWEEN 1 AND {MAX_YEARS}", name="years_in_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), unique=True)
    first_year: Mapped[str] = mapped_column(String(9))
    years: Mapped[int] = mapped_column(SmallInteger, default=2)
    coordinator: Mapped[str] = mapped_column(String(200), default="")
    working_group: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def school_years(self) -> list[SchoolYear]:
        first = SchoolYear.parse(self.first_year)
        return [first + offset for offset in range(self.years)]

    def covers(self, year: SchoolYear) -> bool:
        return year in self.school_years()


class Goal(SchoolData, Base):
    """A SMART goal: what, how it is measured, the target and the school year it should be reached."""

    __tablename__ = "plan_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(Text, default="")
    target_year: Mapped[str | None] = mapped_column(String(9))
    element_id: Mapped[str | None] = mapped_column(String(64))
    item_id: Mapped[str | None] = mapped_column(String(96))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def complete(self) -> bool:
        return bool(self.what.strip() and self.measure.strip() and self.target.strip() and self.target_year)


class Action(SchoolData, Base):
    __tablename__ = "plan_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("plan_goal.id", ondelete="SET NULL"), index=True)
    pillar: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    activity_id: Mapped[str | None] = mapped_column(String(96))
    intervention_id: Mapped[str | None] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(200), default="")
    school_year: Mapped[str] = mapped_column(String(9))
    period: Mapped[Period] = mapped_column(_enum(Period, "action_period"), default=Period.YEAR)
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus, "action_status"), default=ActionStatus.PLANNED)
    evaluation: Mapped[str] = mapped_column(Text, default="")
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("plan_action.id", ondelete="SET NULL"),
                                                        unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    goal: Mapped[Goal | None] = relationship()
