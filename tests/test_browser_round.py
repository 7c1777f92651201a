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


def _enter(page, url: str, code: str) -> None:
    page.goto(url + "/r")
    page.get_by_label("Jouw code").fill(code.lower())
    page.get_by_role("button", name="Beginnen").click()


def _answer_pages(page, choice: int, screenshot: bool = False) -> None:
    """From the first part to "thank you": every statement ``choice``, then send."""
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


def _answer_as_team_member(browser, url: str, code: str, choice: int, screenshot: bool) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    _enter(page, url, code)
    _answer_pages(page, choice, screenshot)
    context.close()


def _open_round_with_codes(page, url: str, logins, count: int) -> tuple[list[str], str]:
    log_in(page, url, logins["school_coordinator"], DEMO_PASSWORD)
    page.get_by_role("link", name="Checklistrondes").click()
    next_year = str(SchoolYear.current() + 1)
    page.get_by_label("Schooljaar").select_option(next_year)
    page.get_by_label("Ieder teamlid apart").check()
    page.get_by_role("button", name="Ronde openen").click()
    page.get_by_role("heading", name=f"Ronde {next_year}").wait_for()
    page.get_by_label("Aantal codes").fill(str(count))
    page.get_by_role("button", name="Codes maken").click()
    codes = re.findall(r"[A-Z0-9]{5}-[A-Z0-9]{5}", page.locator(".code-sheet").inner_text())
    assert len(codes) == count
    return codes, page.get_by_role("link", name="Terug naar de ronde").get_attribute("href")


def test_a_code_binds_to_one_browser_and_the_picture_moves_only_in_releases(site):
    """The coordinator holds the code sheet: a code used on one phone opens nothing on another, and
    a used code looks like an unknown one. The picture waits for three new answer sets and says so."""
    url, browser, logins = site
    coordinator = browser.new_page()
    codes, round_url = _open_round_with_codes(coordinator, url, logins, 5)

    phone = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    _enter(phone, url, codes[0])
    phone.get_by_text("Deel 1 van").wait_for()
    phone.locator("fieldset.statement").first.get_by_role("radio").nth(1).check()
    phone.wait_for_load_state("networkidle")

    other = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    errors = []
    for code in (codes[0], "ZZZZZ-ZZZZZ"):
        _enter(other, url, code)
        errors.append(other.locator(".error").inner_text())
    assert errors[0] == errors[1] and "Deze code kan niet worden gebruikt" in errors[0]
    assert_accessible(other, "respondent-code-spent")
    other.goto(url + "/r/answers/1")
    assert "geen antwoorden in bewerking" in other.content()
    assert other.locator("fieldset.statement").count() == 0

    # The respondent moves on with a private resume code; the first phone then opens nothing.
    phone.get_by_role("button", name="Hervatcode maken").click()
    resume = phone.locator(".resume-code").inner_text()
    _enter(other, url, resume)
    other.get_by_text("Deel 1 van").wait_for()
    assert other.locator("fieldset.statement").first.get_by_role("radio").nth(1).is_checked()
    phone.goto(url + "/r/answers/1")
    assert phone.locator("fieldset.statement").count() == 0

    for code in codes[1:4]:
        _answer_as_team_member(browser, url, code, choice=2, screenshot=False)
    _answer_pages(other, choice=3)  # the fourth set, after the first version of the picture

    coordinator.goto(url + round_url + "/team")
    coordinator.get_by_text("Versie 1 van het teambeeld, op basis van 3 teamleden.").wait_for()
    note = coordinator.locator(".release-note").inner_text()
    assert "Na deze versie van het teambeeld is 1 ingevulde lijst verstuurd" in note
    assert "Voor de volgende versie zijn er nog 2 nodig." in note
    assert_accessible(coordinator, "team-picture-release-note")


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
    page.get_by_text("Versie 1 van het teambeeld, op basis van 3 teamleden.").wait_for()
    assert page.get_by_text("Het team denkt hier verschillend over: bespreek het").count() > 0
    assert_accessible(page, "team-picture")
    # Nothing is agreed before the team records it; the first statement gets a high priority.
    assert page.locator("ol.statements .not-discussed").count() == page.locator("ol.statements > li").count()
    page.get_by_role("link", name="Openen in vergadermodus").first.click()
    page.get_by_role("radio", name=re.compile("^2 ")).check()
    page.get_by_label("Prioriteit").select_option("high")
    page.get_by_role("button", name=re.compile("^Afspraak vastleggen")).click()
    page.get_by_text("De afspraak over stelling 1 is vastgelegd.").wait_for()
    page.goto(url + round_url + "/team")
    assert page.locator("ol.statements > li").first.get_by_text("prioriteit: Hoog").count() == 1
    assert page.locator("ol.statements > li").nth(1).get_by_text("Niet besproken").count() == 1

    page.goto(url + round_url)
    page.get_by_role("button", name="Afronden: vaststellen en vergrendelen").click()
    page.get_by_text("De ronde is afgerond en de antwoorden liggen vast.").wait_for()
    assert "Afgerond" in page.locator("dl.facts").inner_text()
    page.close()
