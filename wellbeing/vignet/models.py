"""What the coordinator attests for the vignet, with evidence, and the certificates the school got."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from wellbeing.db import Base, SchoolData, UTCDateTime, utcnow

VALID_YEARS = 3


class Attestation(SchoolData, Base):
    """The coordinator declares a criterion met, with a note and/or a file as evidence.

    Keyed by criterion id, which stays stable across criteria years, so an attestation carries over
    when Gezonde School publishes new criteria. Files live in the database: transactional, backed up
    with everything else, and readable by any web or worker process.
    """

    __tablename__ = "vignet_attestation"
    __table_args__ = (UniqueConstraint("school_id", "criterion_id", name="uq_attestation_school_criterion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(96))
    note: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_type: Mapped[str | None] = mapped_column(String(100))
    file_size: Mapped[int | None] = mapped_column(Integer)
    file_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    attested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    attested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Certificate(SchoolData, Base):
    """A vignet (themacertificaat Welbevinden) the school was awarded; valid three years."""

    __tablename__ = "vignet_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    awarded_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
