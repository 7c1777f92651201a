"""A GGD region's theme. One row per region that chose one; regions without a row use the product's."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, column_property, deferred, mapped_column

from wellbeing.db import Base, UTCDateTime, utcnow


class RegionTheme(Base):
    __tablename__ = "region_theme"

    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), primary_key=True)
    # "#rrggbb", checked to reach 4.5:1 against white (text on white, white text on it)
    colour: Mapped[str] = mapped_column(String(7))
    logo_png: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def version(self) -> str:
        return theme_version(self.updated_at)


def theme_version(updated_at: datetime) -> str:
    """Changes whenever the theme does: the stylesheet and logo URLs carry it, so they can be cached."""
    return f"{int(updated_at.timestamp() * 1000)}"


# Every page asks whether there is a logo; only the logo route reads it.
RegionTheme.has_logo = column_property(RegionTheme.__table__.c.logo_png.isnot(None))
