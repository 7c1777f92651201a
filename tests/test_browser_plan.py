"""The coordinator in the browser: menu card, a two-year plan from priorities, readiness rising as
evidence is added, and the PDF report, whose pages are rendered to PNG for people to look at."""
import re

import pytest

from tests.browser import ARTIFACTS, assert_accessible, demo_site, download_pdf, log_in
from wellbeing.demo import DEMO_PASSWORD
from wellbeing.schoolyear import SchoolYear

pytestmark = pytest.mark.browser
CURRENT = SchoolYear.current()


@pytest.fixture
def site(app):
    with demo_site(app) as site_:
        yield site_


def _met(page) -> int:
    text = page.locator(".readiness-count").inner_text()
    return int(re.match(r"(\d+) van \d+ criteria behaald", text).group(1))


def _fill_menu_card(page) -> None:
    page.get_by_role("link", name="Menukaart").click()
    environment = page.locator("#pillar-omgeving")
    assert environment.get_by_text("Gat: de school doet in deze pijler nog niets").count() == 1
    # An unmarked activity folds its details away; marking it opens them.
    box = environment.locator("fieldset.activity.status-none").first.get_attribute("id")
    first = page.locator(f'[id="{box}"]')
    assert not first.get_by_label("Opmerking").is_visible()
    first.get_by_label("Doen we al").check()
    assert first.get_by_label("Opmerking").is_visible()
    first.get_by_label("Doen we sinds").select_option(str(CURRENT - 1))
    first.get_by_label("Voor welke groepen of leerjaren").fill("groep 5 tot en met 8")
    assert_accessible(page, "menu-card")
    environment.get_by_role("button", name="Menukaart opslaan").click()
    page.get_by_text("De menukaart is opgeslagen.").wait_for()
    assert page.locator("#pillar-omgeving").get_by_text("Gat: de school doet in deze pijler").count() == 0
    assert page.locator(".pillar-summary .gap").count() == 0


def _two_year_plan(page, school_url: str) -> None:
    page.goto(school_url)
    page.get_by_role("link", name="Meerjarenplan").click()
    page.get_by_role("link", name="Maak er een doel van").first.click()
    page.get_by_label("Hoe ga je het meten?").fill("Score op dit onderdeel in de checklist van volgend jaar")
    page.get_by_label("Streefwaarde").fill("Minstens 70")
    page.get_by_label("Bereikt in schooljaar").select_option(str(CURRENT + 1))
    assert_accessible(page, "plan-goal")
    page.get_by_role("button", name="Doel opslaan").click()
    page.get_by_text("Het doel is opgeslagen.").wait_for()
    goal = page.locator("#goals + table tbody tr").last.locator("a").inner_text()
    for year, title in ((CURRENT, "Teamtraining signalen herkennen"), (CURRENT + 1, "Evaluatie met leerlingenraad")):
        page.get_by_role("link", name=f"Nieuwe actie in {year}").first.click()
        page.get_by_label("Actie", exact=True).fill(title)
        page.get_by_label("Pijler").select_option("signaleren")
        page.get_by_label("Doel", exact=True).select_option(label=goal[:120])
        page.get_by_label("Wie voert het uit").fill("Intern begeleider")
        page.get_by_label("Wanneer").select_option("p2")
        page.get_by_role("button", name="Actie opslaan").click()
        page.get_by_role("heading", name=f"Jaaragenda {year}").wait_for()
        assert page.get_by_role("link", name=title).count() == 1
        page.get_by_role("link", name="Meerjarenplan").click()
    assert_accessible(page, "plan-overview")
    page.get_by_role("link", name=f"Jaaragenda {CURRENT}").click()
    assert_accessible(page, "plan-agenda")


def _attest(page, school_url: str, tmp_path) -> None:
    page.goto(school_url)
    page.get_by_role("link", name="Gereedheid voor het vignet").click()
    before = _met(page)
    criterion = page.locator("li.criterion.status-needs_attestation").first
    criterion.get_by_text("Verklaren met bewijs").click()
    wrong = tmp_path / "bewijs.exe"
    wrong.write_bytes(b"MZ not a document")
    criterion.get_by_label("Toelichting bij het bewijs").fill("Zie het schoolplan, hoofdstuk 3")
    criterion.get_by_label("Bewijsbestand (niet verplicht)").set_input_files(str(wrong))
    criterion.get_by_role("button", name="Verklaring opslaan").click()
    page.get_by_text("Kies een bestand in PDF").wait_for()
    assert _met(page) == before
    assert page.locator("textarea[name=note]").first.input_value() == "Zie het schoolplan, hoofdstuk 3"
    evidence = tmp_path / "schoolplan.pdf"
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    criterion = page.locator("li.criterion.status-needs_attestation").first
    criterion.get_by_label("Bewijsbestand (niet verplicht)").set_input_files(str(evidence))
    criterion.get_by_role("button", name="Verklaring opslaan").click()
    page.get_by_text("Je verklaring is opgeslagen.").wait_for()
    assert _met(page) == before + 1
    assert page.get_by_role("link", name="Bewijs: schoolplan.pdf").count() == 1
    assert_accessible(page, "vignet-readiness")


def _report(page, school_url: str, tmp_path) -> None:
    page.goto(school_url)
    page.get_by_role("link", name="Rapport en export").click()
    page.get_by_label("Nederlands").check()
    page.get_by_role("button", name="Rapport maken").click()
    page.get_by_role("cell", name="Klaar").first.wait_for()
    assert_accessible(page, "report")
    text = download_pdf(page, tmp_path / "rapport.pdf", "school-report")
    assert len(list(ARTIFACTS.glob("school-report-*.png"))) >= 4
    for heading in ("Samenvatting", "Menukaart", "Meerjarenplan", "Teamtraining signalen herkennen"):
        assert heading in text, heading
    # The accessible HTML version beside the PDF says the same.
    page.get_by_role("link", name="toegankelijke webpagina").first.click()
    page.get_by_role("heading", name="Schoolrapport: Basisschool De Regenboog").wait_for()
    for heading in ("Samenvatting", "Menukaart", "Meerjarenplan"):
        assert page.get_by_role("heading", name=heading, exact=True).count() == 1, heading
    assert page.get_by_text("Teamtraining signalen herkennen").count() >= 1
    assert_accessible(page, "school-report-html")


def test_coordinator_builds_a_plan_adds_evidence_and_downloads_the_report(site, tmp_path):
    url, browser, logins = site
    page = browser.new_page(accept_downloads=True)
    log_in(page, url, logins["school_coordinator"], DEMO_PASSWORD)
    school_url = page.url
    assert "/school/" in school_url
    page.get_by_text("Volgende:").wait_for()
    assert_accessible(page, "school-dashboard")
    _fill_menu_card(page)
    _two_year_plan(page, school_url)
    _attest(page, school_url, tmp_path)
    _report(page, school_url, tmp_path)
    page.close()
