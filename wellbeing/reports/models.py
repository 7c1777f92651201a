"""A requested school report: a row per request, so the page can show its status while a job runs."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, column_property, mapped_column

from wellbeing.db import Base, UTCDateTime, utcnow
from wellbeing.tenancy.models import _enum


class ReportStatus(str, enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class DocumentRequest:
    """The fields of a requested document that a job makes, so the page can show its status while
    the job runs: the school and region reports here, the municipal cycle's monitoring PDF
    (``wellbeing.cycle.models.CycleReport``)."""

    locale: Mapped[str] = mapped_column(String(5))
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus, "report_status"), default=ReportStatus.QUEUED)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    size: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    # The accessible HTML version of the same data, made by the same job (reports/html.py)
    html: Mapped[str | None] = mapped_column(Text, deferred=True)
    error: Mapped[str] = mapped_column(Text, default="")


class Report(DocumentRequest, Base):
    """A school report (``school_id``) or a region report (``region_id`` and optionally
    ``municipality_id`` for one municipality's overview)."""

    __tablename__ = "report"
    __table_args__ = (CheckConstraint("(school_id IS NULL) <> (region_id IS NULL)", name="school_or_region"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"))


# Whether the accessible HTML version exists, without loading it (reports made before it existed have none).
Report.has_html = column_property(Report.__table__.c.html.isnot(None))
