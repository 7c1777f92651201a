"""Each demo role logs in with a real browser and lands on its own home page, which passes axe."""
import pytest

from tests.browser import assert_accessible, demo_site, log_in
from wellbeing.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

EXPECTED_HOME = {
    "platform_admin": ("GGD-regio's", "GGD Demoland"),
    "region_admin": ("GGD Demoland", "Basisschool De Regenboog"),
    "gsa": ("Jouw portfolio", "Stedelijk Lyceum Domstad"),
    "municipality_officer": ("Utrecht", "Deelname"),
    "school_coordinator": ("Basisschool De Regenboog", "Gedeeld met de GSA"),
}


@pytest.fixture(scope="module")
def site(app):
    with demo_site(app) as site_:
        yield site_


@pytest.fixture(autouse=True)
def _clean_database():
    """Override: the demo data stays for the whole module; ``site`` empties the database after it."""
    yield


@pytest.mark.parametrize("role", list(EXPECTED_HOME))
def test_role_logs_in_and_lands_on_its_home_page(site, role):
    url, browser, logins = site
    context = browser.new_context(viewport={"width": 390, "height": 844} if role == "school_coordinator" else None)
    page = context.new_page()
    page.goto(url + "/login")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page, "login")
    log_in(page, url, logins[role], DEMO_PASSWORD)
    heading, text = EXPECTED_HOME[role]
    page.get_by_role("heading", name=heading).first.wait_for()
    assert text in page.content()
    assert_accessible(page, f"home-{role}")
    context.close()


def test_wrong_password_shows_the_generic_message_in_dutch(site):
    url, browser, logins = site
    page = browser.new_page()
    log_in(page, url, logins["gsa"], "fout-wachtwoord")
    assert page.get_by_role("alert").inner_text().startswith("Het e-mailadres of wachtwoord klopt niet")
    page.close()
