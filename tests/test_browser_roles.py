"""Each demo role logs in with a real browser and lands on its own home page, which passes axe."""
import pytest

from tests.conftest import empty_database
from tests.browser import assert_accessible, chromium, live_server
from wellbeing import db
from wellbeing.demo import DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.browser

EXPECTED_HOME = {
    "platform_admin": ("GGD-regio's", "GGD Demoland"),
    "region_admin": ("GGD Demoland", "Basisschool De Regenboog"),
    "gsa": ("Jouw portfolio", "Stedelijk Lyceum Domstad"),
    "municipality_officer": ("Jouw gemeenten", "Utrecht"),
    "school_coordinator": ("Basisschool De Regenboog", "Gedeeld met de GSA"),
}


@pytest.fixture(scope="module")
def site(app):
    with app.app_context():
        logins = dict(load_demo())
        db.session.commit()
    with live_server(app) as url, chromium() as browser:
        yield url, browser, logins
    empty_database(app)


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
    page.get_by_label("E-mailadres").fill(logins[role])
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    heading, text = EXPECTED_HOME[role]
    page.get_by_role("heading", name=heading).first.wait_for()
    assert text in page.content()
    assert_accessible(page, f"home-{role}")
    context.close()


def test_wrong_password_shows_the_generic_message_in_dutch(site):
    url, browser, logins = site
    page = browser.new_page()
    page.goto(url + "/login")
    page.get_by_label("E-mailadres").fill(logins["gsa"])
    page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").inner_text().startswith("Het e-mailadres of wachtwoord klopt niet")
    page.close()
