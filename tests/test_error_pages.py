"""The error pages cannot fail: with the database unreachable a logged-in user gets a 503 page with
Retry-After, and a server error a 500 page, both in the request's language (cookie, then
Accept-Language) and neither touching the database or the user."""
from __future__ import annotations

import pytest

from tests import services
from tests.school_content import coordinator_client
from wellbeing.app import create_app
from wellbeing.config import load_settings


@pytest.fixture
def unreachable(app):
    """An app like the test app (same secret key, so the same session cookies) whose database
    is a closed port. Server errors are answered as in production, not re-raised."""
    settings = load_settings(env={}, database_url=f"postgresql://nobody@127.0.0.1:{services.free_port()}/gone",
                             instance_path=app.instance_path, base_url="http://testserver")
    broken = create_app(settings)
    broken.config.update(SECRET_KEY=app.config["SECRET_KEY"], PROPAGATE_EXCEPTIONS=False)

    @broken.route("/boom")
    def boom():
        raise RuntimeError("a bug")
    return broken


def _logged_in_cookie_client(app, broken, locale: str):
    client, school_id = coordinator_client(app)
    with client.session_transaction() as session:
        session["locale"] = locale
    cookie = client.get_cookie("session")
    other = broken.test_client()
    other.set_cookie(cookie.key, cookie.value)
    return other, school_id


@pytest.mark.parametrize("locale, text", [("nl", "Tijdelijk niet beschikbaar"), ("en", "Temporarily unavailable")])
def test_with_the_database_unreachable_a_logged_in_user_gets_a_503_in_their_language(app, unreachable, locale, text):
    client, school_id = _logged_in_cookie_client(app, unreachable, locale)
    for path in (f"/school/{school_id}", "/", "/no-such-page", "/profile"):
        response = client.get(path)
        assert response.status_code == 503, (path, response.status_code)
        assert response.headers["Retry-After"] == "30"
        body = response.get_data(as_text=True)
        assert text in body and f'<html lang="{locale}">' in body
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503


def test_a_server_error_page_takes_the_language_from_the_browser_without_the_database(app, unreachable):
    anonymous = unreachable.test_client()
    english = anonymous.get("/boom", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert english.status_code == 500 and "Something went wrong" in english.get_data(as_text=True)
    dutch = anonymous.get("/boom", headers={"Accept-Language": "de, nl;q=0.5"})
    assert dutch.status_code == 500 and "Er ging iets mis" in dutch.get_data(as_text=True)
    client, _ = _logged_in_cookie_client(app, unreachable, "en")  # its user cannot be loaded: no matter
    logged_in = client.get("/boom", headers={"Accept-Language": "nl"})
    assert logged_in.status_code == 500 and "Something went wrong" in logged_in.get_data(as_text=True)
