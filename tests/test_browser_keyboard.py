"""Keyboard only (WCAG 2.1.1, 2.4.3, 2.4.7): a team member answers a round and a coordinator runs a
team-meeting round to agreed scores, priorities and the finalised round, with Tab, arrows, typing and
Enter — never the mouse, never a click. Every focus stop on the way must be visible."""
import re

import pytest

from tests.browser import assert_accessible, demo_site, log_in, tab_to
from wellbeing.demo import DEMO_PASSWORD
from wellbeing.schoolyear import SchoolYear

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def site(app):
    with demo_site(app) as site_:
        yield site_


def _answer_with_the_keyboard(page, url: str, code: str) -> None:
    """Enter the code, answer every statement with the arrow keys, review and send."""
    page.goto(url + "/r")
    tab_to(page, page.get_by_label("Jouw code"))
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    while True:
        page.get_by_text(re.compile(r"Deel \d+ van \d+")).wait_for()
        for statement in page.locator("fieldset.statement").all():
            # Tab enters a radio group once; an arrow key moves to, and checks, the next option.
            tab_to(page, statement.get_by_role("radio").first)
            page.keyboard.press("ArrowRight")
            assert statement.get_by_role("radio").nth(1).is_checked()
        button = page.get_by_role("button", name=re.compile("Opslaan en (verder|nalopen)"))
        last = "nalopen" in button.inner_text()
        tab_to(page, button)
        page.keyboard.press("Enter")
        if last:
            break
    page.get_by_role("heading", name="Verstuur je antwoorden").wait_for()
    tab_to(page, page.get_by_role("button", name="Mijn antwoorden versturen"))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Dank je wel!").wait_for()


def test_a_coordinator_runs_a_team_meeting_round_with_the_keyboard_only(site):
    url, browser, logins = site
    page = browser.new_page()
    page.goto(url + "/login")
    # The skip link is the first stop and takes the focus to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de hoofdinhoud"
    log_in(page, url, logins["school_coordinator"], DEMO_PASSWORD)
    page.get_by_text("Volgende:").wait_for()

    tab_to(page, page.get_by_role("link", name="Checklistrondes"))
    page.keyboard.press("Enter")
    next_year = str(SchoolYear.current() + 1)
    tab_to(page, page.get_by_label("Schooljaar"))
    page.keyboard.type(next_year)
    assert page.get_by_label("Schooljaar").input_value() == next_year
    meeting = page.get_by_label("Samen in een teamoverleg", exact=False)
    tab_to(page, page.get_by_role("radio").first)
    for _ in range(5):
        if meeting.is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert meeting.is_checked()
    tab_to(page, page.get_by_role("button", name="Ronde openen"))
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=f"Ronde {next_year}").wait_for()

    tab_to(page, page.get_by_label("Aantal codes"))
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    code = re.findall(r"[A-Z0-9]{5}-[A-Z0-9]{5}", page.locator(".code-sheet").inner_text())[0]
    round_url = page.get_by_role("link", name="Terug naar de ronde").get_attribute("href")

    team_member = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    _answer_with_the_keyboard(team_member, url, code)
    team_member.context.close()

    page.goto(url + round_url + "/team")
    page.get_by_text("Op basis van 1 teamlid.").wait_for()
    tab_to(page, page.get_by_role("link", name="Vergadermodus openen"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("link", name="Doorlopen: alle stellingen"))
    page.keyboard.press("Enter")
    page.get_by_text(re.compile(r"Stelling 1 van \d+")).wait_for()
    tab_to(page, page.get_by_role("radio").first)
    page.keyboard.press("ArrowDown")             # the radio group: arrow keys move the choice
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("input[name=score]:checked").get_attribute("value") == "4"
    tab_to(page, page.get_by_label("Prioriteit"))
    page.keyboard.type("h")
    assert page.get_by_label("Prioriteit").input_value() == "high"
    tab_to(page, page.get_by_role("button", name=re.compile("^Afspraak vastleggen")))
    page.keyboard.press("Enter")
    page.get_by_text("De afspraak over stelling 1 is vastgelegd.").wait_for()
    assert_accessible(page, "keyboard-meeting")
    # No trap: Tab leaves the form and reaches the links after it.
    tab_to(page, page.get_by_role("link", name=re.compile("Vorige stelling")))

    page.goto(url + round_url)
    tab_to(page, page.get_by_role("button", name="Afronden: vaststellen en vergrendelen"))
    page.keyboard.press("Enter")
    page.get_by_text("De ronde is afgerond en de antwoorden liggen vast.").wait_for()
    assert_accessible(page, "keyboard-round-finalised")
    page.close()

