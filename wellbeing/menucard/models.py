"""A school's menu card: per activity of the menu card instrument (or of its own) what it does."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing.db import Base, SchoolData, UTCDateTime, utcnow
from wellbeing.tenancy.models import _enum


class MenuStatus(str, enum.Enum):
    DOING = "doing"
    WANT = "want"
    INTERESTED = "interested"
    DECLINED = "declined"


class MenuEntry(SchoolData, Base):
    """The school's mark on one activity. ``activity_id`` is None for an activity the school added itself.

    A menu card is the school's current state, not a yearly snapshot; "doing" records since when.
    """

    __tablename__ = "menu_entry"
    __table_args__ = (
        UniqueConstraint("school_id", "activity_id", name="uq_menu_entry_school_activity"),
        CheckConstraint("activity_id IS NOT NULL OR title <> ''", name="own_activity_has_title"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    activity_id: Mapped[str | None] = mapped_column(String(96))
    title: Mapped[str] = mapped_column(String(200), default="")
    pillar: Mapped[str] = mapped_column(String(16))
    status: Mapped[MenuStatus | None] = mapped_column(_enum(MenuStatus, "menu_status"))
    note: Mapped[str] = mapped_column(Text, default="")
    since_year: Mapped[str | None] = mapped_column(String(9))
    grades: Mapped[str] = mapped_column(String(120), default="")
    intervention_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def own(self) -> bool:
        return self.activity_id is None
