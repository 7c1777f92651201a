"""Upward views in the browser: the GSA works through the portfolio and the municipality officer
reads the anonymised overview, with a protected cell visible in the demo data, and gets its PDF."""
import re
from datetime import date, timedelta

import pytest

from tests.browser import assert_accessible, demo_site, download_pdf, log_in
from wellbeing.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def site(app):
    with demo_site(app) as site_:
        yield site_


def test_the_gsa_sees_who_needs_a_call_and_keeps_a_visit_note(site):
    url, browser, logins = site
    page = browser.new_page()
    log_in(page, url, logins["gsa"], DEMO_PASSWORD)
    page.get_by_role("heading", name="Jouw portfolio").wait_for()
    rows = page.locator("table tbody tr")
    total = rows.count()
    assert total == 7
    assert_accessible(page, "gsa-portfolio")
    page.get_by_label("Gemeente").select_option(label="Utrecht")
    page.get_by_role("button", name="Tonen").click()
    page.get_by_text(re.compile(r"\d+ van 7 scholen")).wait_for()
    assert 0 < page.locator("table tbody tr").count() < total

    page.get_by_role("link", name="Bezoeknotities voor Basisschool De Regenboog").click()
    page.get_by_label("Datum van het bezoek").fill((date.today() + timedelta(days=2)).isoformat())
    page.get_by_role("textbox", name="Bezoeknotitie").fill("Gesproken over de jaaragenda en de monitor.")
    page.get_by_role("button", name="Notitie opslaan").click()
    assert page.get_by_role("textbox", name="Bezoeknotitie").input_value() == "Gesproken over de jaaragenda en de monitor."
    page.get_by_label("Datum van het bezoek").fill(date.today().isoformat())
    page.get_by_role("button", name="Notitie opslaan").click()
    page.get_by_text("De bezoeknotitie is opgeslagen.").wait_for()
    assert page.get_by_text("Gesproken over de jaaragenda en de monitor.").count() == 1
    assert_accessible(page, "gsa-visit-notes")

    # A school that shares its content opens fully; one that shares progress only does not.
    page.get_by_role("link", name="Jouw portfolio").first.click()
    page.get_by_role("link", name="Basisschool De Regenboog", exact=True).click()
    page.get_by_role("link", name="Checklistrondes").click()
    page.get_by_role("heading", name="Checklistrondes").wait_for()
    page.go_back()
    page.go_back()
    page.get_by_role("link", name="OBS Het Kompas", exact=True).click()
    page.get_by_text("Deze school deelt haar voortgang met je, niet de inhoud.").wait_for()
    assert page.get_by_role("link", name="Checklistrondes").count() == 0
    page.close()


def test_the_municipality_officer_reads_an_anonymised_overview_and_gets_its_pdf(site, tmp_path):
    url, browser, logins = site
    page = browser.new_page(accept_downloads=True)
    log_in(page, url, logins["municipality_officer"], DEMO_PASSWORD)
    page.get_by_role("heading", name=re.compile("^Utrecht")).wait_for()
    content = page.content()
    for name in ("Basisschool De Regenboog", "SO De Brug", "Domstad"):
        assert name not in content
    participation = page.locator("#participation table").first
    assert participation.get_by_text("afgeschermd").count() >= 2   # so and mbo, too few schools
    assert page.get_by_text("Cijfers vrijgegeven op").count() == 1    # the release, and when the next one is
    assert page.locator("svg[role=img]").count() >= 3
    assert_accessible(page, "municipality-overview")

    page.get_by_role("button", name="PDF-rapport maken").click()
    text = download_pdf(page, tmp_path / "overzicht.pdf", "municipality-report")
    assert "Utrecht" in text and "afgeschermd" in text and "Domstad" not in text
    page.get_by_role("link", name="toegankelijke webpagina").first.click()
    page.get_by_role("heading", name=re.compile("overzicht: Utrecht$")).wait_for()
    assert page.locator("svg[role=img]").count() >= 3 and "Domstad" not in page.content()
    assert_accessible(page, "municipality-report-html")
    page.close()


def test_the_region_admin_reads_the_region_overview(site):
    url, browser, logins = site
    page = browser.new_page()
    log_in(page, url, logins["region_admin"], DEMO_PASSWORD)
    page.get_by_role("link", name="Geanonimiseerd overzicht van de regio").click()
    page.get_by_role("heading", name=re.compile("^GGD Demoland")).wait_for()
    assert page.locator("#scores table").count() >= 1
    assert_accessible(page, "region-overview")
    page.close()
