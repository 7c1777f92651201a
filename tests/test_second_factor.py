"""The second factor: enrolment at first login, codes used once and throttled, recovery codes,
the region's choice for coordinators, and an administrator's logged reset."""
from __future__ import annotations

import re

import pyotp
from sqlalchemy import select

from tests import factories
from tests.conftest import csrf_token, english_client, login, unused_code
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.audit import AuditEntry
from wellbeing.auth.models import LoginSession, RecoveryCode, RegionSignInPolicy, SecondFactor
from wellbeing.tenancy.models import Region


def _password_only(client, email: str, password: str = factories.PASSWORD):
    return client.post("/login", data={"email": email, "password": password,
                                       "csrf_token": csrf_token(client, "/login")})


def _code(client, code: str, url: str = "/login/code"):
    return client.post(url, data={"code": code, "csrf_token": csrf_token(client, url)})


def _gsa(app, second_factor: bool = True):
    with app.app_context():
        region = factories.region()
        school = factories.school(factories.municipality(region))
        gsa = factories.user(Role.GSA, region, second_factor=second_factor)
        factories.assign(gsa, school)
        db.session.commit()
        return gsa.email, gsa.id, region.id


def test_a_gsa_enrols_at_first_login_and_gets_recovery_codes_once(app):
    email, user_id, _ = _gsa(app, second_factor=False)
    client = english_client(app)
    response = _password_only(client, email)
    assert response.headers["Location"] == "/login/enrol"
    assert client.get("/portfolio").status_code == 302  # the password alone opens nothing
    page = client.get("/login/enrol").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    assert "<svg" in page
    assert _code(client, "000000", "/login/enrol").status_code == 401
    done = _code(client, pyotp.TOTP(secret).now(), "/login/enrol")
    codes = re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", done.get_data(as_text=True))
    assert done.status_code == 200 and len(codes) == 10
    assert client.get("/portfolio").status_code == 200
    with app.app_context():
        factor = db.session.get(SecondFactor, user_id)
        assert factor.confirmed_at is not None and secret not in factor.secret_sealed
        hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
        assert len(hashes) == 10 and not any(c.replace("-", "") in h for c in codes for h in hashes)


def test_a_code_works_once(app):
    email, _, _ = _gsa(app)
    first, second = english_client(app), english_client(app)
    _password_only(first, email)
    code = unused_code(app, email)
    assert _code(first, code).status_code == 302
    _password_only(second, email)
    assert _code(second, code).status_code == 401


def test_wrong_codes_are_throttled_even_before_the_right_one(app):
    email, _, _ = _gsa(app)
    client = english_client(app)
    _password_only(client, email)
    for _ in range(app.extensions["wellbeing.settings"].login_max_failures):
        assert _code(client, "123456").status_code == 401
    locked = _code(client, unused_code(app, email))
    assert locked.status_code == 429 and "Too many wrong codes" in locked.get_data(as_text=True)
    assert client.get("/portfolio").status_code == 302


def test_a_recovery_code_lets_in_once(app):
    email, user_id, _ = _gsa(app)
    with app.app_context():
        from wellbeing.accounts.models import User
        from wellbeing.auth import second_factor
        codes = second_factor.new_recovery_codes(db.session.get(User, user_id))
        db.session.commit()
    client = english_client(app)
    _password_only(client, email)
    used = _code(client, codes[0])
    assert used.status_code == 302 and client.get("/portfolio").status_code == 200
    again = english_client(app)
    _password_only(again, email)
    assert _code(again, codes[0]).status_code == 401


def test_the_code_step_expects_a_password_first_and_keeps_the_next_page(app):
    email, _, _ = _gsa(app)
    client = english_client(app)
    assert client.get("/login/code").headers["Location"].startswith("/login")
    client.post("/login?next=/profile", data={"email": email, "password": factories.PASSWORD,
                                              "csrf_token": csrf_token(client, "/login")})
    assert _code(client, unused_code(app, email)).headers["Location"] == "/profile"


def test_coordinators_need_a_second_factor_only_where_their_region_asks(app):
    with app.app_context():
        region = factories.region()
        school = factories.school(factories.municipality(region))
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
        admin = factories.user(Role.REGION_ADMIN, region)
        db.session.commit()
        email, admin_email, region_id = coordinator.email, admin.email, region.id
    client = english_client(app)
    assert _password_only(client, email).headers["Location"] == "/"
    admin_client = english_client(app)
    login(admin_client, admin_email)
    url = f"/admin/regions/{region_id}/sign-in"
    saved = admin_client.post(url, data={"coordinators_need_second_factor": "y",
                                         "csrf_token": csrf_token(admin_client, url)})
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.get(RegionSignInPolicy, region_id).coordinators_need_second_factor
    later = english_client(app)
    assert _password_only(later, email).headers["Location"] == "/login/enrol"


def test_a_region_admin_resets_a_second_factor_and_it_is_logged(app):
    email, user_id, region_id = _gsa(app)
    with app.app_context():
        admin = factories.user(Role.REGION_ADMIN, db.session.get(Region, region_id))
        outsider = factories.user(Role.REGION_ADMIN, factories.region())
        db.session.commit()
        admin_email, outsider_email = admin.email, outsider.email
    gsa_client = english_client(app)
    login(gsa_client, email)
    url = f"/admin/users/{user_id}/second-factor/reset"

    other = english_client(app)
    login(other, outsider_email)
    assert other.post(url, data={"csrf_token": csrf_token(other, "/profile")}).status_code == 404

    admin_client = english_client(app)
    login(admin_client, admin_email)
    users_page = admin_client.get("/admin/users").get_data(as_text=True)
    assert url in users_page
    assert admin_client.post(url, data={"csrf_token": csrf_token(admin_client, "/admin/users")}).status_code == 302
    with app.app_context():
        assert db.session.get(SecondFactor, user_id) is None
        assert not db.session.scalars(select(LoginSession).where(LoginSession.user_id == user_id)).all()
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "second_factor.reset")).one()
        assert f"user {user_id}" in entry.detail
    assert gsa_client.get("/portfolio").status_code == 302
    assert _password_only(english_client(app), email).headers["Location"] == "/login/enrol"


def test_a_coordinator_may_add_a_second_factor_and_the_session_gets_a_new_id(app):
    with app.app_context():
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, factories.school())
        db.session.commit()
        email = coordinator.email
    client = english_client(app)
    login(client, email)
    assert "Set up a second factor" in client.get("/profile").get_data(as_text=True)
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    page = client.get("/profile/second-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    done = _code(client, pyotp.TOTP(secret).now(), "/profile/second-factor")
    assert done.status_code == 200 and len(re.findall(r"<code>[0-9a-f]{5}-[0-9a-f]{5}</code>", done.get_data(as_text=True))) == 10
    assert client.get("/profile").status_code == 200
    assert copy.get("/profile").status_code == 302  # the session before the change is gone
    later = english_client(app)
    assert _password_only(later, email).headers["Location"] == "/login/code"
