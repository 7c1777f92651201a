"""Factories: build tenant objects on demand with unique natural keys."""
from __future__ import annotations

import itertools

from wellbeing import db
from wellbeing.accounts.models import Membership, PortfolioAssignment, Role, User
from wellbeing.accounts.security import hash_password
from wellbeing.tenancy.models import Municipality, Region, School, SchoolType, Sharing

PASSWORD = "correct horse battery"
_seq = itertools.count(1)
_HASH = None


def _n() -> int:
    return next(_seq)


def region(**kw) -> Region:
    n = _n()
    obj = Region(code=kw.pop("code", f"R{n}"), name=kw.pop("name", f"Region {n}"), **kw)
    db.session.add(obj)
    db.session.flush()
    return obj


def municipality(region_: Region | None = None, **kw) -> Municipality:
    n = _n()
    obj = Municipality(code=kw.pop("code", f"GM{n % 10000:04d}"), name=kw.pop("name", f"Municipality {n}"),
                       region_id=(region_ or region()).id, **kw)
    db.session.add(obj)
    db.session.flush()
    return obj


def school(municipality_: Municipality | None = None, **kw) -> School:
    n = _n()
    letters = chr(65 + n // 26 % 26) + chr(65 + n % 26)
    obj = School(brin=kw.pop("brin", f"{n // 676 % 100:02d}{letters}"), vestiging=kw.pop("vestiging", "00"),
                 name=kw.pop("name", f"School {n}"), school_type=kw.pop("school_type", SchoolType.PO),
                 municipality_id=(municipality_ or municipality()).id,
                 gsa_sharing=kw.pop("gsa_sharing", Sharing.PROGRESS), **kw)
    db.session.add(obj)
    db.session.flush()
    return obj


def user(role: Role | None = None, scope=None, **kw) -> User:
    global _HASH
    if _HASH is None:
        _HASH = hash_password(PASSWORD)
    n = _n()
    obj = User(email=kw.pop("email", f"user{n}@example.org"), name=kw.pop("name", f"User {n}"),
               password_hash=kw.pop("password_hash", _HASH), locale=kw.pop("locale", "en"), **kw)
    if role is not None:
        column = {Role.REGION_ADMIN: "region_id", Role.GSA: "region_id",
                  Role.MUNICIPALITY_OFFICER: "municipality_id", Role.SCHOOL_COORDINATOR: "school_id"}.get(role)
        obj.memberships.append(Membership(role=role, **({column: scope.id} if column else {})))
    db.session.add(obj)
    db.session.flush()
    return obj


def assign(gsa: User, school_: School) -> None:
    db.session.add(PortfolioAssignment(user_id=gsa.id, school_id=school_.id))
    db.session.flush()
