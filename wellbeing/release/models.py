"""Releases of the upward figures, and the ledger the audit reads.

``Release`` is one publication (calendar or manual). ``ReleaseMeasure`` is the ledger: per release
and measure every published cell (its value, band, or that it was hidden; the viewer scope follows
from the cell: a municipality's cells reach its officers and the region, a region's cells the region,
national cells the platform administrators) beside the true inner values the audit compared
against (private: never rendered, only read by the next audit). ``ReleaseArea`` is what one page
shows, so a page reads one row and never recomputes anything.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing.db import Base, UTCDateTime, utcnow


class Release(Base):
    __tablename__ = "overview_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    released_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    school_year: Mapped[str] = mapped_column(String(9))
    reason: Mapped[str] = mapped_column(String(16))          # "monthly", "year-end", "manual"
    next_release_on: Mapped[date] = mapped_column(Date)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)   # the audit and publication, worker time
    cells: Mapped[int] = mapped_column(Integer, default=0)
    hidden: Mapped[int] = mapped_column(Integer, default=0)
    geography: Mapped[str] = mapped_column(Text)             # JSON: municipality -> region (public)


class ReleaseMeasure(Base):
    __tablename__ = "overview_release_measure"

    release_id: Mapped[int] = mapped_column(ForeignKey("overview_release.id", ondelete="CASCADE"),
                                            primary_key=True)
    school_year: Mapped[str] = mapped_column(String(9), primary_key=True)
    measure: Mapped[str] = mapped_column(String(128), primary_key=True)
    published: Mapped[str] = mapped_column(Text)     # JSON: cell -> [lo, hi] / [q1, median, q3, basis] / null
    truth: Mapped[str] = mapped_column(Text)         # JSON, private: what the audit compared against
    digest: Mapped[str] = mapped_column(String(64))  # of published and truth: identical stages are audited once


class ReleaseArea(Base):
    __tablename__ = "overview_release_area"

    release_id: Mapped[int] = mapped_column(ForeignKey("overview_release.id", ondelete="CASCADE"),
                                            primary_key=True)
    level: Mapped[str] = mapped_column(String(1), primary_key=True)    # "m", "r" or "n"
    area_id: Mapped[int] = mapped_column(Integer, primary_key=True)    # 0 for the nation
    payload: Mapped[str] = mapped_column(Text)                         # JSON, every cell of the area
