"""A whole round in the browser: invite, three people answer on a phone, team picture, consensus, finalise."""
import re

import pytest

from tests.browser import assert_accessible, demo_site, log_in
from wellbeing.demo import DEMO_PASSWORD
from wellbeing.schoolyear import SchoolYear

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def site(app):
    with demo_site(app) as site_:
        yield site_


def _answer_as_team_member(browser, url: str, code: str, choice: int, screenshot: bool) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.goto(url + "/r")
    page.get_by_label("Jouw code").fill(code.lower())
    page.get_by_role("button", name="Beginnen").click()
    part = 1
    while True:
        page.get_by_text(re.compile(r"Deel \d+ van \d+")).wait_for()
        if screenshot and part == 1:
            page.get_by_label("Jouw rol in de school (niet verplicht)").select_option("teacher")
            assert_accessible(page, "respondent-phone")
        for statement in page.locator("fieldset.statement").all():
            statement.get_by_role("radio").nth(choice).check()
        page.wait_for_load_state("networkidle")  # let autosave finish before leaving the page
        button = page.get_by_role("button", name=re.compile("Opslaan en (verder|nalopen)"))
        last = "nalopen" in button.inner_text()
        button.click()
        if last:
            break
        part += 1
    page.get_by_role("heading", name="Verstuur je antwoorden").wait_for()
    page.get_by_role("button", name="Mijn antwoorden versturen").click()
    page.get_by_role("heading", name="Dank je wel!").wait_for()
    context.close()


def test_coordinator_runs_a_whole_round_in_the_browser(site):
    url, browser, logins = site
    page = browser.new_page()
    log_in(page, url, logins["school_coordinator"], DEMO_PASSWORD)
    page.get_by_role("link", name="Checklistrondes").click()
    assert_accessible(page, "rounds-index")
    next_year = str(SchoolYear.current() + 1)
    page.get_by_label("Schooljaar").select_option(next_year)
    page.get_by_label("Ieder teamlid apart").check()
    page.get_by_role("button", name="Ronde openen").click()
    page.get_by_role("heading", name=f"Ronde {next_year}").wait_for()
    assert_accessible(page, "round-detail")
    page.get_by_label("Aantal codes").fill("3")
    page.get_by_role("button", name="Codes maken").click()
    codes = re.findall(r"[A-Z0-9]{5}-[A-Z0-9]{5}", page.locator(".code-sheet").inner_text())
    assert len(codes) == 3
    round_url = page.get_by_role("link", name="Terug naar de ronde").get_attribute("href")

    for index, code in enumerate(codes):
        _answer_as_team_member(browser, url, code, choice=[0, 3, 3][index], screenshot=index == 0)

    page.goto(url + round_url + "/team")
    page.get_by_text("Op basis van 3 teamleden.").wait_for()
    assert page.get_by_text("Het team denkt hier verschillend over: bespreek het").count() > 0
    assert_accessible(page, "team-picture")
    first_priority = page.locator("select[id^=priority-]").first
    first_priority.select_option("high")
    page.get_by_role("button", name="Afgesproken scores en prioriteiten opslaan").click()
    page.get_by_text("De afgesproken scores en prioriteiten zijn opgeslagen.").wait_for()
    priorities = page.locator("select[id^=priority-]")
    assert priorities.first.input_value() == "high"
    assert priorities.nth(1).input_value() == "none"  # untouched statements get no priority

    page.goto(url + round_url)
    page.get_by_role("button", name="Afronden: vaststellen en vergrendelen").click()
    page.get_by_text("De ronde is afgerond en de antwoorden liggen vast.").wait_for()
    assert "Afgerond" in page.locator("dl.facts").inner_text()
    page.close()
