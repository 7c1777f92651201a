"""Login, throttling, invitations and password reset, as a user meets them."""
import re

from tests import factories
from tests.conftest import csrf_token, login
from wellbeing import db
from wellbeing.accounts.models import Role, User

GENERIC = "The e-mail address or password is not correct."


def _link(mail: str) -> str:
    return re.search(r"http://testserver(/\S+)", mail).group(1)


def test_wrong_password_and_unknown_address_get_the_same_generic_message(app, ctx, client):
    user = factories.user(Role.PLATFORM_ADMIN)
    db.session.commit()
    wrong = login(client, user.email, "not the password")
    unknown = login(client, "nobody@example.org", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert GENERIC in wrong.get_data(as_text=True)
    assert GENERIC in unknown.get_data(as_text=True)


def test_repeated_failures_lock_the_address_even_for_the_right_password(app, ctx, client):
    user = factories.user(Role.PLATFORM_ADMIN)
    db.session.commit()
    for _ in range(app.extensions["wellbeing.settings"].login_max_failures):
        assert login(client, user.email, "wrong password").status_code == 401
    locked = login(client, user.email)
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.get_data(as_text=True)


def test_unknown_addresses_are_throttled_too_so_locking_reveals_nothing(app, ctx, client):
    for _ in range(app.extensions["wellbeing.settings"].login_max_failures):
        login(client, "ghost@example.org", "x")
    assert login(client, "ghost@example.org", "x").status_code == 429


def test_next_parameter_cannot_redirect_off_site(app, ctx, client):
    user = factories.user(Role.SCHOOL_COORDINATOR, factories.school())
    db.session.commit()
    token = csrf_token(client, "/login")
    response = client.post("/login?next=//evil.example/x", data={
        "email": user.email, "password": factories.PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"


def test_login_without_csrf_token_is_refused_with_a_page_not_a_500(app, ctx, client):
    response = client.post("/login", data={"email": "a@b.nl", "password": "x"})
    assert response.status_code == 400
    assert "Form expired" in response.get_data(as_text=True)


def test_invitation_link_sets_the_password_once(app, ctx, client, outbox):
    region = factories.region()
    admin = factories.user(Role.REGION_ADMIN, region)
    db.session.commit()
    login(client, admin.email)
    url = f"/admin/regions/{region.id}"
    token = csrf_token(client, url)
    response = client.post(f"{url}/users", data={
        "invite-name": "Nieuwe Adviseur", "invite-email": "new.gsa@example.org", "invite-role": "gsa",
        "invite-municipality_id": "0", "invite-school_id": "0", "csrf_token": token})
    assert response.status_code == 302
    mails = outbox()
    assert len(mails) == 1 and "new.gsa@example.org" in mails[0]
    link = _link(mails[0])
    client.post("/logout", data={"csrf_token": csrf_token(client, "/profile")})

    token = csrf_token(client, link)
    short = client.post(link, data={"password": "short", "confirm": "short", "csrf_token": token})
    assert "at least 12 characters" in short.get_data(as_text=True)
    done = client.post(link, data={"password": "a long enough secret", "confirm": "a long enough secret",
                                   "csrf_token": token})
    assert done.status_code == 302
    again = client.get(link, follow_redirects=True)
    assert "not valid any more" in again.get_data(as_text=True)
    assert login(client, "new.gsa@example.org", "a long enough secret").status_code == 302
    invited = db.session.query(User).filter_by(email="new.gsa@example.org").one()
    assert invited.has_role(Role.GSA) and region.id in invited.scope_ids(Role.GSA)


def test_reset_request_answers_the_same_for_unknown_addresses_and_mails_only_real_ones(app, ctx, client, outbox):
    user = factories.user(Role.PLATFORM_ADMIN)
    db.session.commit()
    answers = []
    for email in (user.email, "nobody@example.org"):
        token = csrf_token(client, "/reset")
        answers.append(client.post("/reset", data={"email": email, "csrf_token": token},
                                   follow_redirects=True).get_data(as_text=True))
    assert all("If this address belongs to an account" in a for a in answers)
    mails = outbox()
    assert len(mails) == 1 and user.email in mails[0]
    link = _link(mails[0])
    token = csrf_token(client, link)
    client.post(link, data={"password": "brand new secret!", "confirm": "brand new secret!", "csrf_token": token})
    assert login(client, user.email, "brand new secret!").status_code == 302


def test_language_switch_shows_english_and_dutch_is_the_default(app):
    client = app.test_client()
    assert "Inloggen" in client.get("/login").get_data(as_text=True)
    token = csrf_token(client, "/login")
    client.post("/language", data={"locale": "en", "next": "/login", "csrf_token": token})
    assert "Log in" in client.get("/login").get_data(as_text=True)
