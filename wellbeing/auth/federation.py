"""OpenID Connect sign-in through Authlib: school staff through an education federation (Entree,
SURFconext), GGD and municipality staff through their organisation's own provider.

A provider proves who someone is, never what they may do: access still comes only from a
membership, given by an invitation. An invited user binds their provider account (issuer +
subject) to their user once, from the invitation; after that the provider signs them in. A BRIN
released by a school federation only suggests which school to ask for an invitation.
"""
from __future__ import annotations

from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from sqlalchemy import select

from wellbeing import db
from wellbeing.accounts.models import Role, User
from wellbeing.auth.models import RegionSignInPolicy
from wellbeing.config import OidcProvider
from wellbeing.tenancy.models import Municipality, Region, School

#: The claim in which Entree (and SURFconext for schools) releases the school's BRIN.
BRIN_CLAIM = "nlEduPersonHomeOrganizationId"


def init_app(app: Flask, providers: tuple[OidcProvider, ...]) -> None:
    """One Authlib registry per app, holding the configured providers (metadata is fetched lazily)."""
    oauth = app.extensions["wellbeing.oauth"] = OAuth(app)
    for provider in providers:
        oauth.register(provider.name, client_id=provider.client_id, client_secret=provider.client_secret,
                       server_metadata_url=provider.issuer + "/.well-known/openid-configuration",
                       client_kwargs={"scope": provider.scope, "code_challenge_method": "S256"})


def client(name: str):
    return current_app.extensions["wellbeing.oauth"].create_client(name)


def providers() -> tuple[OidcProvider, ...]:
    return current_app.extensions["wellbeing.settings"].oidc_providers


def provider(name: str) -> OidcProvider | None:
    return next((p for p in providers() if p.name == name), None)


def _region_ids(user: User) -> set[int]:
    """The regions the user's memberships lie in (directly, or through a municipality or school)."""
    ids = {m.region_id for m in user.memberships if m.region_id}
    municipality_ids = {m.municipality_id for m in user.memberships if m.municipality_id}
    school_ids = {m.school_id for m in user.memberships if m.school_id}
    if municipality_ids:
        ids |= set(db.session.scalars(select(Municipality.region_id).where(Municipality.id.in_(municipality_ids))))
    if school_ids:
        ids |= set(db.session.scalars(select(Municipality.region_id).join(School, School.municipality_id == Municipality.id)
                                      .where(School.id.in_(school_ids))))
    return ids


def fits(chosen: OidcProvider, user: User) -> bool:
    """May ``user`` sign in through ``chosen``? A school federation serves coordinators; an
    organisation's provider serves the staff of its region only."""
    if chosen.kind == "school":
        return user.has_role(Role.SCHOOL_COORDINATOR)
    region_id = db.session.scalar(select(Region.id).where(Region.code == chosen.region))
    return region_id is not None and region_id in _region_ids(user) and not user.has_role(Role.PLATFORM_ADMIN)


def password_refused(user: User) -> bool:
    """True when one of the user's regions requires sign-in through its provider."""
    if user.has_role(Role.PLATFORM_ADMIN):
        return False
    region_ids = _region_ids(user)
    return bool(region_ids) and db.session.scalar(select(RegionSignInPolicy.region_id).where(
        RegionSignInPolicy.region_id.in_(region_ids), RegionSignInPolicy.federated_login_required.is_(True))
        .limit(1)) is not None


def schools_with_brin(brin: object) -> list[School]:
    """The schools a federation's BRIN claim points at (a suggestion only)."""
    if not isinstance(brin, str) or len(brin.strip()) != 4:
        return []
    return list(db.session.scalars(select(School).where(School.brin == brin.strip().upper()).order_by(School.name)))


