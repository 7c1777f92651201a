"""The municipal cycle, kept per municipality by its policy officers together with the region's GGD:
the chosen top desired situations and problems, what the team still needs in the Preventiematrix,
ambitions with measurable targets, agreements, evaluation notes per target and year, and the PDFs
made for the council or LEA meeting.

A group of municipalities (``CycleGroup``, e.g. a youth-care subregion) runs the same cycle: each
row belongs to either one municipality or one group.

Nothing here points at a school: the figures the cycle shows come from releases, and free text is
written by the municipality and GGD staff themselves.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, SmallInteger, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wellbeing.db import Base, UTCDateTime, utcnow
from wellbeing.offer.models import Partner
from wellbeing.reports.models import DocumentRequest
from wellbeing.tenancy.models import Municipality, Region


def one_owner() -> CheckConstraint:
    """A cycle row belongs to one municipality or to one group of municipalities, never both."""
    return CheckConstraint("(municipality_id IS NULL) <> (group_id IS NULL)", name="one_owner")


class Choice(Base):
    """One of the municipality's top desired situations (``kind`` "situation") or problems
    ("problem"): a catalogue entry (``catalogue_key``) or the team's own words (``own_text``)."""

    __tablename__ = "cycle_choice"
    __table_args__ = (CheckConstraint("kind IN ('situation', 'problem')", name="kind_known"), one_owner())

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_group.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    catalogue_key: Mapped[str | None] = mapped_column(String(48))
    own_text: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(SmallInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Need(Base):
    """What the team still needs in one cell of the Preventiematrix (a sector at a prevention level)."""

    __tablename__ = "cycle_need"
    __table_args__ = (one_owner(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_group.id", ondelete="CASCADE"), index=True)
    sector: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Target(Base):
    """An ambition made measurable: ``indicator`` for ``school_type`` reaches ``threshold`` (a share
    in per cent or a median score, both 0–100) by ``by_year``."""

    __tablename__ = "cycle_target"
    __table_args__ = (CheckConstraint("threshold BETWEEN 0 AND 100", name="threshold_in_range"), one_owner())

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_group.id", ondelete="CASCADE"), index=True)
    ambition: Mapped[str] = mapped_column(String(300), default="")
    indicator: Mapped[str] = mapped_column(String(64))
    school_type: Mapped[str] = mapped_column(String(8))
    threshold: Mapped[int] = mapped_column(SmallInteger)
    by_year: Mapped[str] = mapped_column(String(9))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    evaluations: Mapped[list[Evaluation]] = relationship(cascade="all, delete-orphan", order_by="Evaluation.school_year")


class Evaluation(Base):
    """The team's evaluation note on one target in one school year."""

    __tablename__ = "cycle_evaluation"

    target_id: Mapped[int] = mapped_column(ForeignKey("cycle_target.id", ondelete="CASCADE"), primary_key=True)
    school_year: Mapped[str] = mapped_column(String(9), primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Agreement(Base):
    """Who does what by when, with which partner, agreed where (LEA, OOGO, GALA plan), and how far it got."""

    __tablename__ = "cycle_agreement"
    __table_args__ = (one_owner(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_group.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(300))
    who: Mapped[str] = mapped_column(String(200))
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("offer_partner.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date)
    forum: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_target.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    partner: Mapped[Partner | None] = relationship()
    target: Mapped[Target | None] = relationship()


class CycleReport(DocumentRequest, Base):
    """A requested monitoring PDF, so the page can show its status while the job runs (the same
    fields ``reports.jobs.run_report`` fills on a school report)."""

    __tablename__ = "cycle_report"
    __table_args__ = (one_owner(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("cycle_group.id", ondelete="CASCADE"), index=True)


group_member = Table(
    "cycle_group_member", Base.metadata,
    Column("group_id", ForeignKey("cycle_group.id", ondelete="CASCADE"), primary_key=True),
    Column("municipality_id", ForeignKey("municipality.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class CycleGroup(Base):
    """Municipalities of one region that run the cycle together (a youth-care subregion, a
    cooperation of neighbours). Its figures are derived from the members' released cells only
    (``cycle.group_figures``); it has no release of its own."""

    __tablename__ = "cycle_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    region: Mapped[Region] = relationship()
    members: Mapped[list[Municipality]] = relationship(secondary=group_member, order_by=Municipality.name)

    @property
    def code(self) -> str:
        """What the audit log's entries of this group start with (municipalities use their CBS code)."""
        return f"GROUP{self.id}"
