"""Factories: build tenant objects on demand with unique natural keys."""
from __future__ import annotations

import itertools

from wellbeing import db
from wellbeing.accounts.models import Membership, PortfolioAssignment, Role, User
from wellbeing.accounts.security import hash_password
from wellbeing.auth.models import SecondFactor
from wellbeing.auth.second_factor import ALWAYS, seal
from wellbeing.db import utcnow
from wellbeing.tenancy.models import Municipality, Region, School, SchoolType, Sharing

PASSWORD = "correct horse battery"
# The authenticator secret of every factory user that needs a second factor (tests/conftest.py's
# ``login`` enters its codes).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
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


def user(role: Role | None = None, scope=None, second_factor: bool | None = None, **kw) -> User:
    """A user with ``role`` in ``scope``. Roles that must use a second factor get one (enrolled
    with ``TOTP_SECRET``) unless ``second_factor=False``; ``True`` gives a coordinator one too."""
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
    if second_factor if second_factor is not None else role in ALWAYS:
        db.session.add(SecondFactor(user_id=obj.id, secret_sealed=seal(TOTP_SECRET), confirmed_at=utcnow()))
        db.session.flush()
    return obj


def assign(gsa: User, school_: School) -> None:
    db.session.add(PortfolioAssignment(user_id=gsa.id, school_id=school_.id))
    db.session.flush()
