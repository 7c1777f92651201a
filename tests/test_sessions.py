"""Sessions end: the server knows every signed-in cookie, and forgetting it ends every copy."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, select, update

from tests import factories
from tests.conftest import csrf_token, english_client, login
from tests.test_rounds import _items, coordinator_round  # noqa: F401  (a fixture used below)
from wellbeing import db
from wellbeing.accounts.models import Membership, Role
from wellbeing.auth.models import LoginSession
from wellbeing.db import utcnow


def _copy_of_cookie(app, client):
    """A second browser holding a copy of ``client``'s session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _opens(client, url: str) -> bool:
    response = client.get(url)
    return response.status_code == 200


def _gsa_with_school(app):
    with app.app_context():
        region = factories.region()
        school = factories.school(factories.municipality(region))
        gsa = factories.user(Role.GSA, region)
        factories.assign(gsa, school)
        db.session.commit()
        return gsa.email


def test_a_cookie_saved_before_logout_no_longer_opens_the_portfolio(app):
    email = _gsa_with_school(app)
    client = english_client(app)
    assert login(client, email).status_code == 302
    thief = _copy_of_cookie(app, client)
    assert _opens(thief, "/portfolio")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})
    assert not _opens(thief, "/portfolio")
    assert thief.get("/portfolio").headers["Location"].startswith("/login")


def test_a_cookie_saved_before_a_password_reset_no_longer_opens_the_region(app, outbox):
    with app.app_context():
        region = factories.region()
        admin = factories.user(Role.REGION_ADMIN, region)
        db.session.commit()
        email, url = admin.email, f"/admin/regions/{region.id}"
    client = english_client(app)
    login(client, email)
    thief = _copy_of_cookie(app, client)
    assert _opens(thief, url)

    stranger = english_client(app)
    stranger.post("/reset", data={"email": email, "csrf_token": csrf_token(stranger, "/reset")})
    link = outbox()[-1].split("http://testserver", 1)[1].split()[0]
    token = csrf_token(stranger, link)
    done = stranger.post(link, data={"password": "a fresh sentence of mine", "confirm": "a fresh sentence of mine",
                                     "csrf_token": token})
    assert done.status_code == 302
    assert not _opens(thief, url)
    assert not _opens(client, url)


def test_a_change_of_roles_ends_the_users_sessions(app):
    with app.app_context():
        region = factories.region()
        school = factories.school(factories.municipality(region))
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
        db.session.commit()
        email, user_id = coordinator.email, coordinator.id
    client = english_client(app)
    login(client, email)
    assert _opens(client, "/profile")
    with app.app_context():
        db.session.add(Membership(user_id=user_id, role=Role.GSA, region_id=region.id))
        db.session.commit()
    assert not _opens(client, "/profile")


def test_sign_out_everywhere_ends_the_other_browsers_too(app):
    email = _gsa_with_school(app)
    laptop, phone = english_client(app), english_client(app)
    login(laptop, email)
    login(phone, email)
    profile = laptop.get("/profile").get_data(as_text=True)
    assert profile.count("this device") == 1 and "Sign out everywhere" in profile
    laptop.post("/profile/sessions/end-all", data={"csrf_token": csrf_token(laptop, "/profile")})
    assert not _opens(phone, "/portfolio")
    assert not _opens(laptop, "/portfolio")


def test_one_other_session_can_be_ended_from_the_list(app):
    email = _gsa_with_school(app)
    laptop, phone = english_client(app), english_client(app)
    login(laptop, email)
    login(phone, email)
    with app.app_context():
        sessions = db.session.scalars(select(LoginSession).order_by(LoginSession.id)).all()
        assert len(sessions) == 2
        phone_session = sessions[1].id
    laptop.post(f"/profile/sessions/{phone_session}/end", data={"csrf_token": csrf_token(laptop, "/profile")})
    assert not _opens(phone, "/portfolio")
    assert _opens(laptop, "/portfolio")


def test_an_idle_session_ends(app):
    email = _gsa_with_school(app)
    client = english_client(app)
    login(client, email)
    assert _opens(client, "/portfolio")
    idle = app.extensions["wellbeing.settings"].session_idle_minutes
    with app.app_context():
        db.session.execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=idle + 1)))
        db.session.commit()
    assert not _opens(client, "/portfolio")
    with app.app_context():
        assert db.session.scalars(select(LoginSession)).all() == []


def test_every_login_gets_a_new_session_id_and_csrf_token(app):
    email = _gsa_with_school(app)
    client = english_client(app)
    before = csrf_token(client, "/login")
    login(client, email)
    with client.session_transaction() as session:
        first_sid = session["_sid"]
    after = csrf_token(client, "/profile")
    assert after != before
    client.post("/logout", data={"csrf_token": after})
    login(client, email)
    with client.session_transaction() as session:
        assert session["_sid"] != first_sid
        assert session.get("locale") == "en"  # the chosen language survives the fresh cookie


def test_autosave_does_no_session_work(app, coordinator_round):  # noqa: F811
    _, _, codes = coordinator_round
    from tests.test_rounds import start
    respondent = start(app, codes[0])
    statements: list[str] = []
    database = app.extensions["wellbeing.db"]
    engines = [database.engine, database.autocommit]

    def collect(conn, cursor, statement, *args):
        statements.append(statement)
    for engine in engines:
        event.listen(engine, "before_cursor_execute", collect)
    try:
        saved = respondent.post("/r/answers/autosave", data={"item": _items(app)[0], "value": "3"})
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", collect)
    assert saved.status_code == 200
    assert statements, "the autosave statements were not seen"
    assert not [s for s in statements if "login_session" in s or "user_account" in s]
