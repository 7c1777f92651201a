"""Users hold memberships; a membership is a role within a scope (region, municipality or school)."""
from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wellbeing.db import Base, UTCDateTime, utcnow
from wellbeing.tenancy.models import Municipality, Region, School, _enum


class Role(str, enum.Enum):
    PLATFORM_ADMIN = "platform_admin"
    REGION_ADMIN = "region_admin"
    GSA = "gsa"
    MUNICIPALITY_OFFICER = "municipality_officer"
    SCHOOL_COORDINATOR = "school_coordinator"


#: Which scope column each role's membership must fill (and only that one).
ROLE_SCOPE = {
    Role.PLATFORM_ADMIN: None,
    Role.REGION_ADMIN: "region_id",
    Role.GSA: "region_id",
    Role.MUNICIPALITY_OFFICER: "municipality_id",
    Role.SCHOOL_COORDINATOR: "school_id",
}


class User(UserMixin, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def roles(self) -> set[Role]:
        return {m.role for m in self.memberships}

    def has_role(self, role: Role) -> bool:
        return any(m.role == role for m in self.memberships)

    def scope_ids(self, role: Role) -> set[int]:
        column = ROLE_SCOPE[role]
        return {getattr(m, column) for m in self.memberships if m.role == role and column}


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "region_id", "municipality_id", "school_id",
                         name="uq_membership_scope"),
        CheckConstraint(
            "(role = 'platform_admin' AND region_id IS NULL AND municipality_id IS NULL AND school_id IS NULL)"
            " OR (role IN ('region_admin', 'gsa') AND region_id IS NOT NULL AND municipality_id IS NULL"
            " AND school_id IS NULL)"
            " OR (role = 'municipality_officer' AND municipality_id IS NOT NULL AND region_id IS NULL"
            " AND school_id IS NULL)"
            " OR (role = 'school_coordinator' AND school_id IS NOT NULL AND region_id IS NULL"
            " AND municipality_id IS NULL)",
            name="scope_matches_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)

    user: Mapped[User] = relationship(back_populates="memberships")
    region: Mapped[Region | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    school: Mapped[School | None] = relationship()


class PortfolioAssignment(Base):
    """A school in a GSA's portfolio. The GSA must hold a ``gsa`` membership in the school's region."""

    __tablename__ = "portfolio_assignment"
    __table_args__ = (UniqueConstraint("user_id", "school_id", name="uq_portfolio_user_school"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id", ondelete="CASCADE"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    school: Mapped[School] = relationship()
    user: Mapped[User] = relationship()


class TokenPurpose(str, enum.Enum):
    INVITATION = "invitation"
    RESET = "reset"


class UserToken(Base):
    """A single-use, expiring link token; only its SHA-256 hash is stored."""

    __tablename__ = "user_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(_enum(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Failures or requests per key (an address and client pair, a client, a user's second factor,
    reset requests), shared by all web workers."""

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Locks so far: each next lock of the key lasts twice as long (a growing delay).
    lock_count: Mapped[int] = mapped_column(Integer, default=0)
