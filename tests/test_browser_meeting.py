"""A team meeting in the browser, on a projector and on a phone: filter to where the team differs,
record some agreements with the keyboard, finalise with the rest undiscussed, and check that the
round's CSV and the school's PDF report call exactly those agreed and every other one not discussed."""
from __future__ import annotations

import csv
import io
import re
import subprocess

import pytest

from tests.browser import ARTIFACTS, assert_accessible, demo_site, tab_to
from tests.test_browser_round import _enter, _open_round_with_codes

pytestmark = pytest.mark.browser
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 375, "height": 740}


@pytest.fixture
def site(app):
    with demo_site(app) as site_:
        yield site_


def _answer(browser, url: str, code: str, choice) -> None:
    """Answer every statement on a phone: ``choice(n)`` is the radio to pick for the n-th statement
    (0 is score 1, 2 is score 3), then send."""
    page = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    _enter(page, url, code)
    number = 0
    while True:
        page.get_by_text(re.compile(r"Deel \d+ van \d+")).wait_for()
        for statement in page.locator("fieldset.statement").all():
            statement.get_by_role("radio").nth(choice(number)).check()
            number += 1
        page.wait_for_load_state("networkidle")
        button = page.get_by_role("button", name=re.compile("Opslaan en (verder|nalopen)"))
        last = "nalopen" in button.inner_text()
        button.click()
        if last:
            break
    page.get_by_role("button", name="Mijn antwoorden versturen").click()
    page.get_by_role("heading", name="Dank je wel!").wait_for()
    page.context.close()


def _no_sideways_scroll(page, name: str) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name}: the page is {width} px wide"


def _statement_number(page) -> int:
    return int(re.search(r"stelling (\d+)", page.locator("p.kicker").inner_text()).group(1))


def _record_with_keyboard(page, score: int) -> int:
    """Choose ``score`` with its digit key and record with Tab and Enter; returns the statement's number."""
    number = _statement_number(page)
    page.locator("h1").click()  # the page, not a form field, has the focus: the digit keys apply
    page.keyboard.press(str(score))
    chosen = page.locator("input[name=score]:checked")
    assert chosen.get_attribute("value") == str(score)
    assert page.evaluate("() => document.activeElement.name") == "score"
    tab_to(page, page.get_by_role("button", name=re.compile("^Afspraak vastleggen")))
    page.keyboard.press("Enter")
    page.get_by_text(f"De afspraak over stelling {number} is vastgelegd.").wait_for()
    return number


def test_a_team_meeting_on_a_projector_and_a_phone_records_only_what_the_team_agreed(site, tmp_path):
    url, browser, logins = site
    projector = browser.new_context(viewport=PROJECTOR)
    page = projector.new_page()
    codes, round_url = _open_round_with_codes(page, url, logins, 3)
    # Two members answer 3 everywhere; the third answers 1 on every other statement: there the team differs.
    for index, code in enumerate(codes):
        _answer(browser, url, code, (lambda n: 0 if n % 2 == 0 else 2) if index == 2 else (lambda n: 2))

    page.goto(url + round_url + "/team")
    page.get_by_text("Versie 1 van het teambeeld, op basis van 3 teamleden.").wait_for()
    total = page.locator("ol.statements > li").count()
    assert total > 10 and page.locator("ol.statements .not-discussed").count() == total
    assert page.locator("svg.bar").count() == total and page.locator("table.numbers").count() == total
    assert_accessible(page, "meeting-team-view-projector")
    page.get_by_label("alleen waar het team verschilt").check()
    page.get_by_role("button", name="Stellingen tonen").click()
    page.get_by_text(re.compile(r"\d+ stellingen getoond")).wait_for()
    differing = page.locator("ol.statements > li")
    assert differing.count() == (total + 1) // 2 and differing.count() == page.locator("li.differs").count()
    assert_accessible(page, "meeting-team-view-differs")

    page.get_by_role("link", name="Vergadermodus openen").click()
    page.get_by_role("heading", name=re.compile("Teamoverleg over de checklist")).wait_for()
    assert_accessible(page, "meeting-start-projector")
    page.get_by_role("link", name="Doorlopen: alleen waar het team verschilt").click()
    page.get_by_text(re.compile(r"Stelling 1 van \d+ \(alleen waar het team verschilt\)")).wait_for()
    assert page.get_by_text("Het team denkt hier verschillend over: bespreek het").count() == 1
    heading_size = page.evaluate("() => parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    assert heading_size >= 40, f"the statement is {heading_size} px on a projector: too small for the back row"
    assert_accessible(page, "meeting-statement-projector")

    agreed = {_record_with_keyboard(page, 4): "4"}
    # N skips a statement without recording anything; P comes back to it; N again moves on.
    skipped = _statement_number(page)
    page.locator("h1").click()
    page.keyboard.press("n")
    page.wait_for_url(re.compile(r"/meeting/\d+"))
    page.get_by_text(re.compile(r"Stelling 3 van")).wait_for()
    page.locator("h1").click()
    page.keyboard.press("ArrowLeft")
    page.get_by_text(re.compile(r"Stelling 2 van")).wait_for()
    assert _statement_number(page) == skipped
    page.locator("h1").click()
    page.keyboard.press("ArrowRight")
    page.get_by_text(re.compile(r"Stelling 3 van")).wait_for()
    agreed[_record_with_keyboard(page, 1)] = "1"
    assert_accessible(page, "meeting-after-recording-projector")

    # On a phone: the same meeting, one more agreement, and a rationale; nothing scrolls sideways.
    phone = browser.new_context(viewport=PHONE, is_mobile=True, storage_state=projector.storage_state())
    small = phone.new_page()
    small.goto(page.url)
    small.get_by_role("heading", level=1).wait_for()
    _no_sideways_scroll(small, "meeting on a phone")
    assert_accessible(small, "meeting-statement-phone")
    number = _statement_number(small)
    small.get_by_role("radio", name=re.compile("^2 ")).check()
    small.get_by_label("Prioriteit").select_option("high")
    small.get_by_label("Toelichting (niet verplicht)").fill("Signalen worden verschillend opgepakt")
    small.get_by_role("button", name=re.compile("^Afspraak vastleggen")).click()
    small.get_by_text(f"De afspraak over stelling {number} is vastgelegd.").wait_for()
    agreed[number] = "2"
    small.goto(url + round_url + "/team?show=open")
    small.get_by_text(re.compile(r"\d+ stellingen getoond")).wait_for()
    assert small.locator("ol.statements > li").count() == total - 3
    _no_sideways_scroll(small, "team view on a phone")
    assert_accessible(small, "meeting-team-view-phone")
    phone.close()

    # Finalise with the other statements undiscussed.
    page.goto(url + round_url)
    assert page.get_by_text(f"{total - 3} stellingen zijn niet besproken").count() == 1
    page.get_by_role("button", name="Afronden: vaststellen en vergrendelen").click()
    page.get_by_text("De ronde is afgerond en de antwoorden liggen vast.").wait_for()
    page.goto(url + round_url + "/meeting/1")
    assert page.locator("form.agreement-form").count() == 0
    keys = page.locator("p.keys").inner_text()
    assert "volgende stelling" in keys and "score" not in keys, keys
    assert_accessible(page, "meeting-finalised")

    response = projector.request.get(url + round_url + "/export.csv")
    rows = list(csv.DictReader(io.StringIO(response.text().lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == total
    recorded = {n + 1: (r["Afspraak"], r["Afgesproken score"]) for n, r in enumerate(rows)
                if r["Afspraak"] != "niet besproken"}
    assert recorded == {n: ("afgesproken", score) for n, score in agreed.items()}
    assert all(r["Afgesproken score"] == "" for r in rows if r["Afspraak"] == "niet besproken")
    statements = [r["Stelling"] for r in rows]

    _check_report(page, url + round_url.split("/rounds")[0], tmp_path, statements, agreed)
    projector.close()


def _check_report(page, school_url: str, tmp_path, statements: list[str], agreed: dict[int, str]) -> None:
    """The PDF's table of agreements: the agreed statements with their score, every other one "niet besproken"."""
    page.goto(school_url)
    page.get_by_role("link", name="Rapport en export").first.click()
    page.get_by_label("Nederlands").check()
    page.get_by_role("button", name="Rapport maken").click()
    page.get_by_role("cell", name="Klaar").first.wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"PDF, \d+ kB")).first.click()
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "meeting-report.pdf"
    download.value.save_as(target)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(target), str(ARTIFACTS / "meeting-report")], check=True)
    text = subprocess.run(["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = " ".join(text.split())
    assert f"Het team maakte afspraken over {len(agreed)} van de {len(statements)} stellingen" in flat
    section = text[re.search(r"Afspraken \d{4}-\d{4}", text).start():]
    section = section[section.index("Prioriteit"):section.index("Menukaart")]  # the table, from its header
    lines = section.splitlines()
    assert sum(line.count("niet besproken") for line in lines) == len(statements) - len(agreed)
    for number, statement in enumerate(statements, start=1):
        start = _unique_start(statement, statements)
        found = [line for line in lines if start in " ".join(line.split())]
        assert found, f"statement {number} ({start}…) is not in the PDF's agreements"
        if number in agreed:
            assert re.search(rf"\s{agreed[number]}(\s|$)", found[0]) and "niet besproken" not in found[0], (
                number, found[0])
        else:
            assert "niet besproken" in found[0], (number, found[0])


def _unique_start(statement: str, statements: list[str]) -> str:
    """The fewest first words (at least three) of ``statement`` that no other statement starts with."""
    words = statement.split()
    for count in range(3, len(words) + 1):
        start = " ".join(words[:count])
        if sum(1 for s in statements if " ".join(s.split()).startswith(start)) == 1:
            return start
    return statement
