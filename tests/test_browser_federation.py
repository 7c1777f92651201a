"""Federated sign-in in a real browser against real OpenID Connect providers (node-oidc-provider):
invitation -> login at the provider -> linked account -> the role's landing page; and a tampered
state, a wrong audience, an expired token and an unknown issuer each end in a Dutch message and no
session. A BRIN from the federation only names the school to ask."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.browser import assert_accessible, chromium, live_server
from tests.conftest import empty_database
from wellbeing import db
from wellbeing.accounts.models import Membership, Role, User
from wellbeing.app import create_app
from wellbeing.config import load_settings
from wellbeing.demo import load_demo
from wellbeing.tenancy.models import Region, School

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(app, database_url, oidc_world, tmp_path_factory):
    """The demo data, served by an app configured with the test providers, and a browser."""
    instance = tmp_path_factory.mktemp("federation-instance")
    url = f"http://127.0.0.1:{oidc_world.app_port}"
    settings = load_settings(env=oidc_world.env(), database_url=database_url, instance_path=instance,
                             base_url=url, extra={"TESTING": True})
    federated_app = create_app(settings)
    with federated_app.app_context():
        load_demo()
        db.session.commit()
    try:
        with live_server(federated_app, oidc_world.app_port), chromium() as browser:
            yield federated_app, url, browser, Path(instance) / "outbox"
    finally:
        empty_database(federated_app)


@pytest.fixture(autouse=True)
def _clean_database():
    """Override: the demo data stays for the whole module; ``site`` empties the database after it."""
    yield


def _invite(federated_app, url: str, email: str, name: str, membership: dict, outbox: Path) -> str:
    """What an invitation does: a user with a membership and a mailed single-use link."""
    from wellbeing.accounts.service import send_invitation

    before = set(outbox.glob("*.eml")) if outbox.exists() else set()
    with federated_app.test_request_context(base_url=url):
        user = User(email=email, name=name, locale="nl")
        user.memberships.append(Membership(**membership))
        db.session.add(user)
        db.session.flush()
        send_invitation(user, None)
        db.session.commit()
    mail = (set(outbox.glob("*.eml")) - before).pop().read_text()
    return re.search(r"(http://127\.0\.0\.1:\d+/invitation/\S+)", mail).group(1)


def _at_provider(page, login: str) -> None:
    """Log in at the provider's own (development) login page and allow the app."""
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_load_state()
    if page.get_by_role("button", name="Continue").count():
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state()


def _no_session(page, url: str) -> None:
    page.goto(url + "/profile")
    assert "/login" in page.url, f"a session was made: {page.url}"


def _federated_login(page, url: str, label: str, login: str) -> None:
    page.goto(url + "/login")
    page.get_by_role("link", name=f"Inloggen met {label}").click()
    _at_provider(page, login)


def test_an_invited_coordinator_links_entree_and_then_logs_in_with_it(site):
    federated_app, url, browser, outbox = site
    with federated_app.app_context():
        school_id = db.session.query(School).filter_by(brin="90AA", vestiging="00").one().id
    link = _invite(federated_app, url, "tess.jansen@regenboog.example", "Tess Jansen",
                   {"role": Role.SCHOOL_COORDINATOR, "school_id": school_id}, outbox)
    context = browser.new_context()
    page = context.new_page()
    page.goto(link)
    assert_accessible(page, "invitation-with-providers")
    page.get_by_role("button", name="Koppelen met Entree (test)").click()
    _at_provider(page, "entree-7f3a9c")
    page.get_by_role("heading", name="Basisschool De Regenboog").first.wait_for()
    assert "gekoppeld aan Entree (test)" in page.get_by_role("status").first.inner_text()
    context.close()

    context = browser.new_context()  # another day: no cookies at the app or at the provider
    page = context.new_page()
    _federated_login(page, url, "Entree (test)", "entree-7f3a9c")
    page.get_by_role("heading", name="Basisschool De Regenboog").first.wait_for()
    context.close()


def test_an_invited_gsa_links_the_ggd_provider_and_lands_on_the_portfolio(site):
    federated_app, url, browser, outbox = site
    with federated_app.app_context():
        region_id = db.session.query(Region).filter_by(code="GGD-DEMO").one().id
    link = _invite(federated_app, url, "ada.adviseur@ggd-demoland.example", "Ada Adviseur",
                   {"role": Role.GSA, "region_id": region_id}, outbox)
    context = browser.new_context()
    page = context.new_page()
    page.goto(link)
    page.get_by_role("button", name="Koppelen met GGD Demoland (test)").click()
    _at_provider(page, "ggd-adviseur-17")
    page.get_by_role("heading", name="Jouw portfolio").wait_for()
    context.close()


def test_a_federation_account_without_invitation_only_hears_which_school_to_ask(site):
    _, url, browser, _ = site
    context = browser.new_context()
    page = context.new_page()
    _federated_login(page, url, "Entree (test)", "entree-b21d44")
    message = page.get_by_role("alert").inner_text()
    assert_accessible(page, "login-with-providers-and-message")
    assert "Basisschool De Regenboog" in message and "uitnodiging" in message
    _no_session(page, url)
    context.close()


@pytest.mark.parametrize("provider, expected", [
    ("test-wrong-audience", "voor een andere toepassing bedoeld"),
    ("test-expired", "was verlopen"),
    ("test-unknown-issuer", "onbekende uitgever"),
])
def test_a_wrong_token_ends_in_a_dutch_message_and_no_session(site, provider, expected):
    _, url, browser, _ = site
    context = browser.new_context()
    page = context.new_page()
    _federated_login(page, url, provider, "entree-7f3a9c")
    message = page.get_by_role("alert").inner_text()
    assert message.startswith(f"Inloggen via {provider} is niet gelukt") and expected in message
    _no_session(page, url)
    context.close()


def test_a_tampered_state_ends_in_a_dutch_message_and_no_session(site, oidc_world):
    _, url, browser, _ = site
    context = browser.new_context()
    page = context.new_page()
    issuer = oidc_world.issuers["federation"]

    def tamper(route):
        """Let the provider answer the login or consent form, follow its redirects to the next page
        (the browser routes only a chain's first URL), and change the state on the way to the app."""
        if route.request.method != "POST":
            route.continue_()
            return
        location = route.fetch(max_redirects=0).headers.get("location", "")
        while location and "/login/federated/" not in location and "/interaction/" not in location:
            location = context.request.get(urljoin(issuer, location), max_redirects=0).headers.get("location", "")
        location = re.sub(r"state=[^&]+", "state=changed-on-the-way", location)
        route.fulfill(status=303, headers={"Location": urljoin(issuer, location)})
    page.route(re.compile(r".*/interaction/[^/?]+$"), tamper)  # the provider's login and consent forms
    _federated_login(page, url, "Entree (test)", "entree-7f3a9c")
    message = page.get_by_role("alert").inner_text()
    assert message.startswith("Inloggen via Entree (test) is niet gelukt") and "onderweg veranderd" in message
    _no_session(page, url)
    context.close()
