"""The second factor: TOTP (RFC 6238, as every authenticator app speaks it) with recovery codes.

Who must use it: everyone above a school coordinator who signs in with a password (GSA, GGD
administrator, policy officer, platform administrator), and coordinators where their region asks
for it. Anyone may switch it on. The secret is stored sealed (Fernet, with a key derived from
SECRET_KEY and its fallbacks), a code is accepted once, and recovery codes are stored as hashes.
"""
from __future__ import annotations

import base64
import hashlib
import secrets

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import delete, select

from wellbeing import db
from wellbeing.accounts.models import Role, User
from wellbeing.auth.models import RecoveryCode, RegionSignInPolicy, SecondFactor
from wellbeing.db import utcnow
from wellbeing.tenancy.models import Municipality, School

ISSUER = "Welbevinden in beeld"
RECOVERY_CODES = 10
#: Roles that always need a second factor when they sign in with a password.
ALWAYS = frozenset({Role.PLATFORM_ADMIN, Role.REGION_ADMIN, Role.GSA, Role.MUNICIPALITY_OFFICER})


def _fernet() -> MultiFernet:
    keys = [current_app.config["SECRET_KEY"], *(current_app.config.get("SECRET_KEY_FALLBACKS") or ())]
    return MultiFernet([Fernet(base64.urlsafe_b64encode(hashlib.sha256(b"second-factor:" + k.encode()).digest()))
                        for k in keys])


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:  # SECRET_KEY changed without a fallback: the user enrols again
        return None


def factor_of(user: User) -> SecondFactor | None:
    return db.session.get(SecondFactor, user.id)


def enrolled(user: User) -> bool:
    factor = factor_of(user)
    return factor is not None and factor.confirmed_at is not None


def required(user: User) -> bool:
    """True when this user may not sign in with a password alone."""
    roles = user.roles()
    if roles & ALWAYS or enrolled(user):
        return True
    school_ids = user.scope_ids(Role.SCHOOL_COORDINATOR)
    if not school_ids:
        return False
    return db.session.scalar(
        select(RegionSignInPolicy.coordinators_need_second_factor)
        .join(Municipality, Municipality.region_id == RegionSignInPolicy.region_id)
        .join(School, School.municipality_id == Municipality.id)
        .where(School.id.in_(school_ids), RegionSignInPolicy.coordinators_need_second_factor.is_(True))
        .limit(1)) is True


def begin_enrolment(user: User) -> str:
    """The secret being enrolled (a new one unless enrolment had started). The caller commits."""
    factor = factor_of(user)
    if factor is not None and factor.confirmed_at is None:
        secret = unseal(factor.secret_sealed)
        if secret:
            return secret
        db.session.delete(factor)
        db.session.flush()
    secret = pyotp.random_base32()
    db.session.add(SecondFactor(user_id=user.id, secret_sealed=seal(secret)))
    return secret


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG markup (no script, no style: the CSP allows it)."""
    return segno.make(uri, error="m").svg_inline(scale=4, border=2, omitsize=False)


def check_code(user: User, code: str) -> bool:
    """A current TOTP code that was not used before (one step of clock drift either way allowed)."""
    factor = factor_of(user)
    code = "".join(code.split())
    secret = unseal(factor.secret_sealed) if factor else None
    if not secret or not code.isdigit() or len(code) != 6:
        return False
    totp = pyotp.TOTP(secret)
    now = utcnow()
    step = totp.timecode(now)
    for counter in (step - 1, step, step + 1):
        if counter > factor.last_counter and secrets.compare_digest(totp.generate_otp(counter), code):
            factor.last_counter = counter
            if factor.confirmed_at is None:
                factor.confirmed_at = now
            return True
    return False


def _digest(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; the plain codes are returned to be shown once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)  # 40 bits each, ten of them, used once
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(raw)))
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    row = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _digest(code), RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def remaining_recovery_codes(user: User) -> int:
    return len(db.session.scalars(select(RecoveryCode.id).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))).all())


def remove(user_id: int) -> None:
    """Forget the user's second factor and recovery codes (they enrol again). The caller commits."""
    db.session.execute(delete(SecondFactor).where(SecondFactor.user_id == user_id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
