"""Tenancy: a GGD region holds municipalities; a school is located in one municipality."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wellbeing.db import Base, SchoolData, UTCDateTime, utcnow


class SchoolType(str, enum.Enum):
    PO = "po"
    VO = "vo"
    SO = "so"
    MBO = "mbo"


class Sharing(str, enum.Enum):
    """What a school lets its GSA see."""

    PROGRESS = "progress"
    CONTENT = "content"


def _enum(cls, name: str) -> Enum:
    return Enum(cls, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False,
                validate_strings=True, length=32)


class Region(Base):
    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    municipalities: Mapped[list[Municipality]] = relationship(back_populates="region",
                                                                 order_by="Municipality.name")


class Municipality(Base):
    __tablename__ = "municipality"
    __table_args__ = (CheckConstraint("code LIKE 'GM____'", name="cbs_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)

    region: Mapped[Region] = relationship(back_populates="municipalities")


class Board(Base):
    """A schoolbestuur; ``code`` is DUO's bevoegd-gezagnummer when known."""

    __tablename__ = "board"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class School(SchoolData, Base):
    """A school location (vestiging): BRIN plus vestigingsnummer."""

    __tablename__ = "school"
    school_key = "id"
    __table_args__ = (
        UniqueConstraint("brin", "vestiging", name="uq_school_brin_vestiging"),
        CheckConstraint("length(brin) = 4", name="brin_length"),
        CheckConstraint("length(vestiging) = 2", name="vestiging_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    brin: Mapped[str] = mapped_column(String(4))
    vestiging: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(200))
    school_type: Mapped[SchoolType] = mapped_column(_enum(SchoolType, "school_type"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    board_id: Mapped[int | None] = mapped_column(ForeignKey("board.id"), index=True)
    gsa_sharing: Mapped[Sharing] = mapped_column(_enum(Sharing, "sharing"), default=Sharing.PROGRESS)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    municipality: Mapped[Municipality] = relationship()
    board: Mapped[Board | None] = relationship()

    @property
    def code(self) -> str:
        return f"{self.brin}{self.vestiging}"
