"""Server-known login sessions, second factors, recovery codes and a region's sign-in policy."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wellbeing.accounts.models import User
from wellbeing.db import Base, UTCDateTime, utcnow


class LoginSession(Base):
    """One signed-in browser. The cookie carries a random id; only its SHA-256 is stored, and a
    cookie whose row is gone (logout, reset, role change, "sign out everywhere") opens nothing."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    client: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()


class SecondFactor(Base):
    """A user's TOTP secret, sealed with a key derived from SECRET_KEY; unconfirmed while enrolling."""

    __tablename__ = "second_factor"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    secret_sealed: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The last time step a code was accepted for: a code works once, even within its 30 seconds.
    last_counter: Mapped[int] = mapped_column(Integer, default=0)


class RecoveryCode(Base):
    """A single-use recovery code, shown once at enrolment; only its SHA-256 is stored (the codes are
    random and long, so a slow hash adds nothing)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RegionSignInPolicy(Base):
    """What a GGD region demands beyond the defaults (a missing row means: the defaults)."""

    __tablename__ = "region_sign_in_policy"

    region_id: Mapped[int] = mapped_column(ForeignKey("region.id", ondelete="CASCADE"), primary_key=True)
    coordinators_need_second_factor: Mapped[bool] = mapped_column(Boolean, default=False)
    # The region's staff (memberships in the region, its municipalities and its schools) sign in only
    # through an OpenID Connect provider, never with a password.
    federated_login_required: Mapped[bool] = mapped_column(Boolean, default=False)


class FederatedIdentity(Base):
    """An account at an OpenID Connect provider (issuer + subject) bound to a user. Bound only by the
    user themself, through an invitation: a provider's claims never create access on their own."""

    __tablename__ = "federated_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_federated_identity_issuer_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
