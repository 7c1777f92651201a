"""The one access policy: which regions, municipalities and schools a user may see, and how much.

Views get tenant objects only through the ``get_*`` helpers here; anything outside the user's
scope is a 404, never a 403, so foreign ids reveal nothing. Levels, from least to most:

- ``AGGREGATE``: anonymised figures over many schools (municipality officers, region views);
- ``RECORD``: the school's registry entry (name, BRIN, type) for administration;
- ``PROGRESS``: phase, round status and completion, readiness, expiry, last activity (GSA);
- ``CONTENT``: the school's own answers, consensus, menu card and plan (coordinators; a GSA only
  while the school shares content).
"""
from __future__ import annotations

import enum
from typing import Protocol, TypeVar

from flask import abort, request
from sqlalchemy import Select, false, literal, or_, select, true

from wellbeing import audit, db
from wellbeing.accounts.models import PortfolioAssignment, Role, User
from wellbeing.cycle.models import CycleGroup, group_member
from wellbeing.tenancy.models import Municipality, Region, School, Sharing


class _SchoolOwned(Protocol):
    school_id: int | None


Owned = TypeVar("Owned", bound=_SchoolOwned)


class Level(enum.IntEnum):
    NONE = 0
    AGGREGATE = 1
    RECORD = 2
    PROGRESS = 3
    CONTENT = 4


def _ids(user: User, role: Role) -> list[int]:
    return sorted(user.scope_ids(role))


# --- regions and municipalities -------------------------------------------------------------

def region_ids(user: User, minimum: Level = Level.AGGREGATE) -> Select | None:
    """Ids of regions the user may see at ``minimum``; None means every region."""
    if user.has_role(Role.PLATFORM_ADMIN):
        return None
    ids = set(_ids(user, Role.REGION_ADMIN))
    if minimum <= Level.AGGREGATE:
        ids |= set(_ids(user, Role.GSA))
    return select(Region.id).where(Region.id.in_(sorted(ids)) if ids else false())


def regions_query(user: User, minimum: Level = Level.AGGREGATE) -> Select:
    scope = region_ids(user, minimum)
    query = select(Region).order_by(Region.name)
    return query if scope is None else query.where(Region.id.in_(scope))


def region_level(user: User, region_id: int) -> Level:
    if user.has_role(Role.PLATFORM_ADMIN) or region_id in user.scope_ids(Role.REGION_ADMIN):
        return Level.RECORD
    if region_id in user.scope_ids(Role.GSA):
        return Level.AGGREGATE
    return Level.NONE


def can_manage_region(user: User, region_id: int) -> bool:
    return user.has_role(Role.PLATFORM_ADMIN) or region_id in user.scope_ids(Role.REGION_ADMIN)


def get_region(user: User, region_id: int, minimum: Level = Level.AGGREGATE) -> Region:
    region = db.session.get(Region, region_id)
    if region is None or region_level(user, region_id) < minimum:
        abort(404)
    return region


def municipalities_query(user: User, minimum: Level = Level.AGGREGATE) -> Select:
    """Municipalities the user may see at ``minimum`` (officers: aggregate only)."""
    query = select(Municipality).order_by(Municipality.name)
    if user.has_role(Role.PLATFORM_ADMIN):
        return query
    conditions = []
    managed = _ids(user, Role.REGION_ADMIN)
    if managed:
        conditions.append(Municipality.region_id.in_(managed))
    if minimum <= Level.AGGREGATE:
        own = _ids(user, Role.MUNICIPALITY_OFFICER)
        if own:
            conditions.append(Municipality.id.in_(own))
        gsa_regions = _ids(user, Role.GSA)
        if gsa_regions:
            conditions.append(Municipality.region_id.in_(gsa_regions))
    return query.where(or_(*conditions) if conditions else false())


def municipality_level(user: User, municipality: Municipality) -> Level:
    if can_manage_region(user, municipality.region_id):
        return Level.RECORD
    if (municipality.id in user.scope_ids(Role.MUNICIPALITY_OFFICER)
            or municipality.region_id in user.scope_ids(Role.GSA)):
        return Level.AGGREGATE
    return Level.NONE


def get_municipality(user: User, municipality_id: int, minimum: Level = Level.AGGREGATE) -> Municipality:
    municipality = db.session.get(Municipality, municipality_id)
    if municipality is None or municipality_level(user, municipality) < minimum:
        abort(404)
    return municipality


# --- schools ----------------------------------------------------------------------------------

def _portfolio(user: User) -> Select:
    """School ids in the user's GSA portfolio, limited to regions where they hold a GSA membership."""
    return (select(PortfolioAssignment.school_id)
            .join(School, School.id == PortfolioAssignment.school_id)
            .join(Municipality, Municipality.id == School.municipality_id)
            .where(PortfolioAssignment.user_id == user.id,
                   Municipality.region_id.in_(_ids(user, Role.GSA))))


def schools_query(user: User, minimum: Level = Level.RECORD) -> Select:
    """Schools the user may see at ``minimum`` or more. Municipality officers never see schools."""
    query = select(School).order_by(School.name)
    if minimum <= Level.RECORD and user.has_role(Role.PLATFORM_ADMIN):
        return query
    conditions = []
    own = _ids(user, Role.SCHOOL_COORDINATOR)
    if own:
        conditions.append(School.id.in_(own))
    if _ids(user, Role.GSA):
        shared = School.gsa_sharing == Sharing.CONTENT if minimum >= Level.CONTENT else true()
        conditions.append(School.id.in_(_portfolio(user)) & shared)
    managed = _ids(user, Role.REGION_ADMIN)
    if managed and minimum <= Level.RECORD:
        conditions.append(School.municipality_id.in_(
            select(Municipality.id).where(Municipality.region_id.in_(managed))))
    return query.where(or_(*conditions) if conditions else false())


def school_level(user: User, school: School) -> Level:
    """The most the user may see of ``school``."""
    if school.id in user.scope_ids(Role.SCHOOL_COORDINATOR):
        return Level.CONTENT
    if user.scope_ids(Role.GSA):
        in_portfolio = db.session.scalar(
            select(literal(1)).where(School.id == school.id, School.id.in_(_portfolio(user))))
        if in_portfolio:
            return Level.CONTENT if school.gsa_sharing == Sharing.CONTENT else Level.PROGRESS
    if user.has_role(Role.PLATFORM_ADMIN) or school.municipality.region_id in user.scope_ids(Role.REGION_ADMIN):
        return Level.RECORD
    return Level.NONE


def get_school(user: User, school_id: int, minimum: Level = Level.CONTENT) -> School:
    """The school with ``school_id`` if the user may see it at ``minimum``; otherwise 404.

    Opening a school's content from outside the school (a GSA while it shares) is audit-logged.
    """
    school = db.session.get(School, school_id)
    if school is None or school_level(user, school) < minimum:
        abort(404)
    if minimum >= Level.CONTENT and school.id not in user.scope_ids(Role.SCHOOL_COORDINATOR):
        audit.record_content_view(user, school.id, request.path)
    return school


def get_child(model: type[Owned], object_id: int, school: School) -> Owned:
    """Row ``object_id`` of ``model`` (a model with ``school_id``), only if it belongs to ``school``;
    otherwise 404. ``school`` comes from ``get_school`` or ``get_school_to_edit``, which checked the
    user's scope and level: together they are the one way a view loads a school's child object."""
    row = db.session.get(model, object_id)
    if row is None or row.school_id != school.id:
        abort(404)
    return row


def get_managed_region(user: User, region_id: int) -> Region:
    """The region, only if ``user`` manages it (its region admin, or a platform admin); otherwise 404."""
    region = get_region(user, region_id, Level.RECORD)
    if not can_manage_region(user, region.id):
        abort(404)
    return region


def can_manage_school_users(user: User, school: School) -> bool:
    return can_manage_region(user, school.municipality.region_id)


def get_school_to_edit(user: User, school_id: int) -> School:
    """The school, for a change to its own content: only its coordinators may make one.

    Anyone else who may read the content (a GSA while the school shares it) gets 403; anyone who
    may not even see it gets 404, as everywhere.
    """
    school = get_school(user, school_id, Level.CONTENT)
    if school.id not in user.scope_ids(Role.SCHOOL_COORDINATOR):
        abort(403)
    return school


def can_edit_school(user: User, school: School) -> bool:
    return school.id in user.scope_ids(Role.SCHOOL_COORDINATOR)


# --- the local offer ------------------------------------------------------------------------------

def can_keep_offer(user: User, municipality: Municipality) -> bool:
    """The region's administrators and GSAs and the municipality's own officers keep its local offer."""
    return municipality_level(user, municipality) >= Level.AGGREGATE


def sees_private_offer_notes(user: User, municipality: Municipality) -> bool:
    """Private notes on the offer are for the region's administrators and the municipality's own
    officers: never for a GSA (who also sees schools) nor for anyone at a school."""
    return (can_manage_region(user, municipality.region_id)
            or municipality.id in user.scope_ids(Role.MUNICIPALITY_OFFICER))


def get_offer_municipality(user: User, municipality_id: int) -> Municipality:
    """The municipality whose offer the user keeps; 404 otherwise (schools reach the offer through
    their own school, never through this)."""
    municipality = db.session.get(Municipality, municipality_id)
    if municipality is None or not can_keep_offer(user, municipality):
        abort(404)
    return municipality


# --- the municipal cycle ----------------------------------------------------------------------------

def get_cycle_municipality(user: User, municipality_id: int) -> Municipality:
    """The municipality whose cycle (start picture, Preventiematrix, agreements, monitoring) the user
    works on: its own officers and the region's GSAs and administrators read and edit it; anyone
    else, and everyone at a school, gets a 404."""
    municipality = db.session.get(Municipality, municipality_id)
    if municipality is None or municipality_level(user, municipality) < Level.AGGREGATE:
        abort(404)
    return municipality


def groups_query(user: User) -> Select:
    """Groups of municipalities whose cycle the user works on: the region's administrators and GSAs
    see every group of the region, an officer the groups with one of their municipalities among the
    members; people at schools see none."""
    query = select(CycleGroup).order_by(CycleGroup.name, CycleGroup.id)
    if user.has_role(Role.PLATFORM_ADMIN):
        return query
    regions = sorted(set(_ids(user, Role.REGION_ADMIN)) | set(_ids(user, Role.GSA)))
    own = _ids(user, Role.MUNICIPALITY_OFFICER)
    conditions = []
    if regions:
        conditions.append(CycleGroup.region_id.in_(regions))
    if own:
        conditions.append(CycleGroup.id.in_(select(group_member.c.group_id)
                                            .where(group_member.c.municipality_id.in_(own))))
    return query.where(or_(*conditions) if conditions else false())


def get_cycle_group(user: User, group_id: int):
    """The group of municipalities whose cycle the user works on (see ``groups_query``); 404 otherwise."""
    group = db.session.scalar(groups_query(user).where(CycleGroup.id == group_id))
    if group is None:
        abort(404)
    return group


def groupable_municipalities(user: User) -> list[Municipality]:
    """Municipalities the user may put in a group: every municipality of a region where they are
    GGD staff, and for an officer every municipality of their own municipalities' regions (a
    youth-care subregion takes in the neighbours). Whether a group also needs one of the officer's
    own municipalities is ``may_define_group``'s rule."""
    regions = set(_ids(user, Role.REGION_ADMIN)) | set(_ids(user, Role.GSA))
    own = _ids(user, Role.MUNICIPALITY_OFFICER)
    if own:
        regions |= set(db.session.scalars(select(Municipality.region_id).where(Municipality.id.in_(own))))
    query = select(Municipality).order_by(Municipality.name)
    if not user.has_role(Role.PLATFORM_ADMIN):
        query = query.where(Municipality.region_id.in_(sorted(regions)) if regions else false())
    return list(db.session.scalars(query))


def may_define_group(user: User, members: list[Municipality]) -> bool:
    """A group lies in one region; the region's GGD staff define any group there, an officer only
    one that includes a municipality of their own (so they keep seeing it)."""
    regions = {m.region_id for m in members}
    if len(regions) != 1:
        return False
    region_id = regions.pop()
    if user.has_role(Role.PLATFORM_ADMIN) or region_id in user.scope_ids(Role.REGION_ADMIN) \
            or region_id in user.scope_ids(Role.GSA):
        return True
    own = user.scope_ids(Role.MUNICIPALITY_OFFICER)
    return any(m.id in own for m in members)
