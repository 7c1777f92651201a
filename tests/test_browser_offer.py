"""The local offer in the browser: the region admin imports an offer CSV (a bad file first), the
coordinator links two menu card activities and a plan action to it, and the officer reads uptake
and white spots with a protected cell. Desktop and phone screenshots go to test-artifacts/."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.browser import ARTIFACTS, assert_accessible, demo_site, log_in
from wellbeing import db
from wellbeing.demo import DEMO_PASSWORD
from wellbeing.offer.demo import DEMO_CSV

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}
NEW_LINES = (
    "Buurtsportcoaches Demoland;sports_coach;buurtsport@demoland.example;Beweegmaatjes in de klas;"
    "Leerlingen uit groep 7 en 8 leren korte beweegspelletjes te leiden bij jongere groepen.;basis;educatie;po;"
    "6-12;Aanvragen bij de buurtsportcoach;Gemeente;;GM0344 GM0353;\n"
    "Opvoedpunt Demoland;parenting_support;opvoedpunt@demoland.example;Spreekuur opvoeden IJsselstein;"
    "Wekelijks spreekuur van een pedagoog in het kindcentrum.;extra;omgeving;po;4-12;Ouders lopen binnen;"
    "Gemeente;;GM0353;Pilot tot de zomer\n")


@pytest.fixture
def site(app):
    with demo_site(app) as site_:
        yield site_


def _ids(app) -> tuple[int, int]:
    """(showcase school id, one of its plan actions in the omgeving or educatie pillar)."""
    from wellbeing.plans.models import Action
    from wellbeing.tenancy.models import School
    with app.app_context():
        school = db.session.scalar(select(School).where(School.brin == "90AA", School.vestiging == "00"))
        action = db.session.scalar(select(Action).where(Action.school_id == school.id,
                                                        Action.pillar.in_(("omgeving", "educatie")))
                                   .order_by(Action.id))
        return school.id, action.id


def test_the_region_admin_imports_an_offer_csv_and_bad_lines_stop_it(site, tmp_path):
    url, browser, logins = site
    page = browser.new_page()
    log_in(page, url, logins["region_admin"], DEMO_PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Lokaal aanbod").click()
    page.get_by_role("link", name="Aanbod in Utrecht").click()
    page.get_by_role("link", name="CSV inlezen").click()

    bad = tmp_path / "aanbod.csv"
    bad.write_text(DEMO_CSV.read_text(encoding="utf-8") + NEW_LINES.replace(";basis;educatie;", ";middel;educatie;")
                   .replace("4-12;Ouders", "12-4;Ouders"), encoding="utf-8")
    page.get_by_label("CSV-bestand").set_input_files(str(bad))
    page.get_by_role("button", name="Controleren en inlezen").click()
    errors = page.locator("#import-errors")
    errors.wait_for()
    assert "2 regels moeten worden verbeterd" in errors.inner_text()
    assert "aanbod.csv:33: niveau 'middel' is niet een van basis, extra, speciaal" in errors.inner_text()
    assert "aanbod.csv:34: leeftijd '12-4'" in errors.inner_text()
    assert_accessible(page, "offer-import-errors")

    good = tmp_path / "aanbod-goed.csv"
    good.write_text(DEMO_CSV.read_text(encoding="utf-8") + NEW_LINES, encoding="utf-8")
    page.get_by_label("CSV-bestand").set_input_files(str(good))
    page.get_by_role("button", name="Controleren en inlezen").click()
    page.get_by_text("Het aanbod is ingelezen: 2 toegevoegd, 31 bijgewerkt.").wait_for()
    in_utrecht = DEMO_CSV.read_text(encoding="utf-8").count("GM0344") + 1    # one new line is for Utrecht too
    page.get_by_role("heading", name=f"{in_utrecht} activiteiten").wait_for()
    assert page.get_by_text("Interne notitie:").count() >= 3          # the admin sees private notes
    assert_accessible(page, "offer-municipality")
    page.set_viewport_size(PHONE)
    assert_accessible(page, "offer-municipality-phone")
    page.close()


def test_the_coordinator_links_two_activities_and_a_plan_action(site, app):
    url, browser, logins = site
    school_id, action_id = _ids(app)
    page = browser.new_page()
    log_in(page, url, logins["school_coordinator"], DEMO_PASSWORD)
    page.goto(f"{url}/school/{school_id}/menu-card")
    box = page.locator("#pillar-omgeving aside.offer-box")
    assert box.get_by_role("heading", name="Van jullie gemeente").count() == 1
    assert page.get_by_text("Uitgevoerd door").count() == 0
    box.get_by_role("link", name="Actief schoolplein").click()

    item = page.locator("li", has=page.get_by_role("heading", name="Actief schoolplein"))
    item.get_by_label("Voert uit").select_option("a:omgeving.active-playground")
    item.get_by_role("button", name=re.compile("^Koppelen")).click()
    page.get_by_text("De koppeling met het aanbod is opgeslagen.").wait_for()
    page.goto(f"{url}/school/{school_id}/offer?pillar=signaleren")
    item = page.locator("li", has=page.get_by_role("heading", name="Contactmoment groep 7"))
    item.get_by_label("Voert uit").select_option("a:signaleren.jgz-contact")
    item.get_by_role("button", name=re.compile("^Koppelen")).click()
    page.get_by_text("De koppeling met het aanbod is opgeslagen.").wait_for()
    kopp = page.goto(f"{url}/school/{school_id}/offer?pillar=educatie")
    assert kopp.ok
    page.locator("li", has=page.get_by_role("heading", name="KOPP-groep")).get_by_role(
        "button", name=re.compile("^Dit wensen we")).click()
    page.get_by_text("Jullie wensen dit aanbod").wait_for()
    assert "Interne notitie" not in page.content() and "Budget voor vier scholen" not in page.content()
    assert_accessible(page, "offer-school")
    page.set_viewport_size(PHONE)
    assert_accessible(page, "offer-school-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{url}/school/{school_id}/plan/actions/{action_id}")
    section = page.locator("section.offer-box")
    section.get_by_label("Uitgevoerd door").select_option(index=0)
    chosen = section.get_by_label("Uitgevoerd door").evaluate("s => s.options[s.selectedIndex].text")
    section.get_by_role("button", name="Koppel deze actie").click()
    page.get_by_text("De koppeling met het aanbod is opgeslagen.").wait_for()
    assert page.url.endswith(f"/plan/actions/{action_id}")
    assert section.get_by_text(re.compile("^Uitgevoerd door ")).count() == 1
    assert chosen.split(" (")[0] in section.inner_text()
    assert_accessible(page, "offer-plan-action")

    page.goto(f"{url}/school/{school_id}/menu-card")
    assert page.get_by_text("Uitgevoerd door Buurtsportcoaches Demoland: Actief schoolplein").count() == 1
    assert page.get_by_text("Uitgevoerd door JGZ GGD Demoland: Contactmoment groep 7").count() == 1
    page.locator("#pillar-omgeving").screenshot(path=str(ARTIFACTS / "offer-menu-card-omgeving.png"))
    page.close()


def test_the_officer_sees_uptake_and_white_spots_with_a_protected_cell(site):
    url, browser, logins = site
    page = browser.new_page()
    log_in(page, url, logins["municipality_officer"], DEMO_PASSWORD)
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Lokaal aanbod").click()
    page.get_by_role("link", name="Gebruik en witte vlekken in Utrecht").click()
    page.get_by_role("heading", name="Gebruik en witte vlekken in Utrecht").wait_for()
    content = page.content()
    for name in ("Basisschool De Regenboog", "SO De Brug", "Domstad", "Kompas"):
        assert name not in content
    assert page.locator("td.white-spot").count() >= 1
    assert page.get_by_text("verborgen").count() >= 2
    assert page.locator("td.protected").count() + page.get_by_text("Geen aanbod; of scholen").count() >= 1
    assert page.get_by_text(re.compile("^Cijfers vrijgegeven op")).count() == 1
    row = page.locator("tr", has=page.get_by_role("rowheader", name=re.compile("^Actief schoolplein")))
    cells = [c.strip() for c in row.locator("td").all_inner_texts()]
    # For po and so only: five po schools use it, shown as a band around five so no single school's
    # change shows; the two so schools hide, and vo and mbo (who cannot use it) have a dash.
    assert cells[0].startswith("4–6 / ")
    assert "verborgen" in " ".join(cells) and "5 / " not in " ".join(cells)
    assert_accessible(page, "offer-uptake")
    page.screenshot(path=str(ARTIFACTS / "offer-uptake-full.png"), full_page=True)
    page.set_viewport_size(PHONE)
    assert_accessible(page, "offer-uptake-phone")
    page.close()
