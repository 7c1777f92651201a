"""The audit log: who did or saw what in a school. Schools read their own log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wellbeing import db
from wellbeing.accounts.models import User
from wellbeing.db import Base, SchoolData, UTCDateTime, utcnow

#: Audit actions that are not the school's own work (someone looking, or downloading).
NOT_ACTIVITY = ("content.viewed", "export.downloaded", "visit_note.added")


class AuditEntry(SchoolData, Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship()

    def changes_school(self) -> bool:
        """The school's own work counts (its last activity); someone looking at it does not."""
        return self.action not in NOT_ACTIVITY


def record(action: str, *, actor: User | None, school_id: int | None = None, detail: str = "") -> None:
    """Add an entry to the current transaction (the caller commits)."""
    db.session.add(AuditEntry(action=action, actor_id=actor.id if actor else None,
                              school_id=school_id, detail=detail))


def record_content_view(actor: User, school_id: int, what: str) -> None:
    """Log that someone outside the school opened its content. The request commits it with its
    response (``db.commit_with_response``), so even read-only pages leave their trace; a refused
    request (403, 404, 400, ...) showed nothing and writes nothing."""
    record("content.viewed", actor=actor, school_id=school_id, detail=what)
    db.commit_with_response()
