"""The second factor in a real browser: enrolment with recovery codes, a code at login, wrong codes
throttled, a recovery code, and a GGD administrator's reset."""
import re

import pyotp
import pytest

from tests import factories
from tests.browser import assert_accessible, demo_site, enter_code, log_in
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.demo import DEMO_PASSWORD
from wellbeing.tenancy.models import Region

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(app):
    with demo_site(app) as site_:
        yield site_


@pytest.fixture(autouse=True)
def _clean_database():
    """Override: the demo data stays for the whole module; ``site`` empties the database after it."""
    yield


def _new_gsa(app, email: str) -> None:
    with app.app_context():
        region = db.session.query(Region).filter_by(code="GGD-DEMO").one()
        factories.user(Role.GSA, region, second_factor=False, email=email, name="Nieuwe Adviseur", locale="nl")
        db.session.commit()


def _password(page, url, email, password=factories.PASSWORD):
    page.goto(url + "/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()


def test_enrolment_then_a_recovery_code_then_an_admin_reset(app, site):
    url, browser, logins = site
    email = "nieuwe.adviseur@demo.welbevinden.nl"
    _new_gsa(app, email)

    page = browser.new_page()
    _password(page, url, email)
    page.get_by_role("heading", name="Stel je tweede factor in").wait_for()
    assert_accessible(page, "second-factor-enrol")
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Bevestigen").click()
    assert "De code klopt niet" in page.get_by_role("alert").inner_text()
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_role("heading", name="Je herstelcodes").wait_for()
    codes = re.findall(r"[0-9a-f]{5}-[0-9a-f]{5}", page.locator("ul.recovery-codes").inner_text())
    assert len(codes) == 10
    assert_accessible(page, "second-factor-recovery-codes")
    page.get_by_role("link", name="Ik heb de codes bewaard, verder").click()
    page.get_by_role("heading", name="Jouw portfolio").wait_for()
    page.close()

    # Phone lost: a recovery code lets in, once.
    page = browser.new_page()
    _password(page, url, email)
    page.get_by_role("heading", name="Vul je code in").wait_for()
    assert_accessible(page, "second-factor-code")
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Bevestigen").click()
    page.get_by_role("heading", name="Jouw portfolio").wait_for()
    assert "herstelcode gebruikt" in page.content()
    page.close()

    # The GGD administrator resets the second factor; the adviser enrols again at the next login.
    admin = browser.new_page()
    log_in(admin, url, logins["region_admin"], DEMO_PASSWORD)
    admin.goto(url + "/admin/users")
    admin.get_by_role("button", name="Tweede factor van Nieuwe Adviseur herstellen").click()
    assert "is hersteld" in admin.get_by_role("status").first.inner_text()
    admin.close()
    page = browser.new_page()
    _password(page, url, email)
    page.get_by_role("heading", name="Stel je tweede factor in").wait_for()
    page.close()


def test_a_code_at_login_and_wrong_codes_are_throttled(app, site):
    url, browser, logins = site
    page = browser.new_page()
    log_in(page, url, logins["gsa"], DEMO_PASSWORD)
    page.get_by_role("heading", name="Jouw portfolio").wait_for()
    page.close()

    page = browser.new_page()
    _password(page, url, logins["municipality_officer"], DEMO_PASSWORD)
    page.get_by_role("heading", name="Vul je code in").wait_for()
    for _ in range(app.extensions["wellbeing.settings"].login_max_failures):
        page.get_by_label("Code", exact=True).fill("123456")
        page.get_by_role("button", name="Bevestigen").click()
        assert "De code klopt niet" in page.get_by_role("alert").inner_text()
    enter_code(page, logins["municipality_officer"])
    assert "Te veel foute codes" in page.get_by_role("alert").inner_text()
    assert page.url.endswith("/login/code")
    page.close()
