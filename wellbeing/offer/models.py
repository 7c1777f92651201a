"""Partners and their offer items, kept per region for one or more of its municipalities, and the
links schools make to them.

A partner belongs to a GGD region; an offer item is available in one or more municipalities of that
region (a regional GGD programme covers several at once). Prevention levels are stored in the NJi
terms (universal, selective, indicated) and shown in the municipality's words (basis, extra,
speciaal). ``private_note`` is for the municipality's and region's own staff: school pages never
load it (they read ``service.SchoolOfferItem``, which has no such field).
"""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, SmallInteger, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wellbeing.db import Base, SchoolData, UTCDateTime, utcnow
from wellbeing.tenancy.models import Municipality, _enum

LEVELS = ("universal", "selective", "indicated")
# The municipal Preventiematrix words for the NJi levels, as written in a CSV file.
MATRIX_WORDS = {"universal": "basis", "selective": "extra", "indicated": "speciaal"}


class PartnerKind(str, enum.Enum):
    JGZ = "jgz"                                 # jeugdgezondheidszorg (youth health care)
    SCHOOL_SOCIAL_WORK = "school_social_work"   # schoolmaatschappelijk werk
    YOUTH_WORK = "youth_work"                   # jongerenwerk
    NEIGHBOURHOOD_TEAM = "neighbourhood_team"   # wijkteam / sociaal team
    SPORTS_COACH = "sports_coach"               # buurtsportcoach
    HEALTH_PROMOTION = "health_promotion"       # GGD gezondheidsbevordering
    PARENTING_SUPPORT = "parenting_support"     # opvoedondersteuning, CJG
    MENTAL_HEALTH = "mental_health"             # GGZ preventie
    OTHER = "other"


offer_item_municipality = Table(
    "offer_item_municipality", Base.metadata,
    Column("item_id", ForeignKey("offer_item.id", ondelete="CASCADE"), primary_key=True),
    Column("municipality_id", ForeignKey("municipality.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Partner(Base):
    __tablename__ = "offer_partner"
    __table_args__ = (UniqueConstraint("region_id", "name", name="uq_offer_partner_region_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PartnerKind] = mapped_column(_enum(PartnerKind, "partner_kind"))
    contact: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class OfferItem(Base):
    __tablename__ = "offer_item"
    __table_args__ = (
        UniqueConstraint("partner_id", "title", name="uq_offer_item_partner_title"),
        CheckConstraint("age_min <= age_max", name="ages_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("offer_partner.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(16))
    pillar: Mapped[str] = mapped_column(String(16))
    school_types: Mapped[str] = mapped_column(String(32))     # "po vo", space separated
    age_min: Mapped[int] = mapped_column(SmallInteger)
    age_max: Mapped[int] = mapped_column(SmallInteger)
    request_route: Mapped[str] = mapped_column(String(300), default="")
    paid_by: Mapped[str] = mapped_column(String(120), default="")
    intervention_id: Mapped[str | None] = mapped_column(String(64))
    private_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    partner: Mapped[Partner] = relationship()
    municipalities: Mapped[list[Municipality]] = relationship(secondary=offer_item_municipality,
                                                               order_by=Municipality.name)

    @property
    def types(self) -> tuple[str, ...]:
        return tuple(self.school_types.split())


class LinkKind(str, enum.Enum):
    USES = "uses"     # the partner carries out this activity or action at the school
    WISH = "wish"     # the school would like this offer


class OfferLink(SchoolData, Base):
    """A school's link to an offer item: for a menu card activity, a plan action, or (a wish) neither."""

    __tablename__ = "offer_link"
    __table_args__ = (
        CheckConstraint("kind = 'wish' OR activity_id IS NOT NULL OR action_id IS NOT NULL",
                        name="use_has_a_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("offer_item.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LinkKind] = mapped_column(_enum(LinkKind, "offer_link_kind"))
    activity_id: Mapped[str | None] = mapped_column(String(96))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("plan_action.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[OfferItem] = relationship()
