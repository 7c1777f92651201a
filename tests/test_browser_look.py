"""Every role's main pages on a desktop and a phone, as screenshots in test-artifacts/look-*.png for people
to look at (the NL Design System frame, each GGD region's own colour and logo), each passing axe with no
violation of any impact and carrying no inline style or script."""
import pytest
from sqlalchemy import select

from tests.browser import assert_accessible, demo_site, log_in
from wellbeing.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def site(app):
    with demo_site(app) as site_:
        yield site_


@pytest.fixture(autouse=True)
def _clean_database():
    """Override: the demo data stays for the whole module; ``site`` empties the database after it."""
    yield


def _ids(app) -> dict[str, int]:
    from wellbeing import db
    from wellbeing.rounds.models import Round
    from wellbeing.tenancy.models import Municipality, Region, School

    with app.app_context():
        school = db.session.scalar(select(School).where(School.brin == "90AA"))
        return {"school": school.id, "region": db.session.scalar(select(Region.id).where(Region.code == "GGD-DEMO")),
                "second_region": db.session.scalar(select(Region.id).where(Region.code == "GGD-KUST")),
                "municipality": db.session.scalar(select(Municipality.id).where(Municipality.code == "GM0344")),
                "round": db.session.scalar(select(Round.id).where(Round.school_id == school.id)
                                           .order_by(Round.school_year))}


def _pages(ids: dict[str, int]) -> dict[str | None, list[tuple[str, str]]]:
    school = f"/school/{ids['school']}"
    return {
        None: [("login", "/login"), ("statement", "/toegankelijkheid"), ("respondent-code", "/r")],
        "platform_admin": [("regions", "/admin/regions"), ("national", "/overview/national")],
        "region_admin": [("region", f"/admin/regions/{ids['region']}"),
                         ("theme", f"/admin/regions/{ids['region']}/theme"), ("users", "/admin/users")],
        "gsa": [("portfolio", "/portfolio")],
        "municipality_officer": [("overview", f"/municipality/{ids['municipality']}")],
        "school_coordinator": [("school", school), ("rounds", f"{school}/rounds"),
                               ("team", f"{school}/rounds/{ids['round']}/team"), ("menu-card", f"{school}/menu-card"),
                               ("plan", f"{school}/plan"), ("vignet", f"{school}/vignet"), ("report", f"{school}/report")],
        "second_region_admin": [("region", f"/admin/regions/{ids['second_region']}")],
        "second_region_coordinator": [("school", "/")],
    }


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_roles_main_pages_look_like_a_public_service(app, site, viewport):
    url, browser, logins = site
    for role, pages in _pages(_ids(app)).items():
        context = browser.new_context(viewport=VIEWPORTS[viewport])
        page = context.new_page()
        if role:
            log_in(page, url, logins[role], DEMO_PASSWORD)
            page.wait_for_load_state()
        for name, path in pages:
            response = page.goto(url + path)
            assert response.status == 200, f"{role} {path}: {response.status}"
            assert page.locator("footer a", has_text="Toegankelijkheidsverklaring").count() == 1
            assert_accessible(page, f"look-{role or 'public'}-{name}-{viewport}")
        context.close()


def test_the_second_region_has_its_own_theme(site):
    url, browser, logins = site
    colours = {}
    for role in ("school_coordinator", "second_region_coordinator"):
        page = browser.new_page()
        log_in(page, url, logins[role], DEMO_PASSWORD)
        page.wait_for_load_state()
        colours[role] = page.evaluate(
            "getComputedStyle(document.querySelector('.utrecht-nav-bar')).backgroundColor")
        assert page.locator(".brand-logo").get_attribute("src").startswith("/theme/")
        page.close()
    assert colours == {"school_coordinator": "rgb(0, 88, 122)", "second_region_coordinator": "rgb(107, 42, 122)"}
