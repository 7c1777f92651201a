"""Light pages and the public-service frame: compression, icons, a meta description, and the
accessibility statement in both languages, linked from every page's footer."""
from tests.conftest import english_client


def test_pages_and_the_stylesheet_travel_compressed(client):
    page = client.get("/login", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    css = client.get("/static/nlds/nlds.css", headers={"Accept-Encoding": "gzip, br"})
    assert css.headers.get("Content-Encoding") in ("gzip", "br") and len(css.get_data()) < 40_000


def test_there_is_a_favicon_an_svg_icon_and_a_meta_description(client):
    assert client.get("/favicon.ico").mimetype == "image/x-icon"
    page = client.get("/login").get_data(as_text=True)
    assert '<meta name="description" content="Welbevinden in beeld: ' in page
    assert 'type="image/svg+xml"' in page and client.get("/static/icon.svg").status_code == 200


def test_the_accessibility_statement_is_in_dutch_and_english_and_in_every_footer(app):
    dutch = app.test_client().get("/toegankelijkheid").get_data(as_text=True)
    for heading in ("Toegankelijkheidsverklaring", "Status", "Reikwijdte", "Wat nog niet voldoet", "Contact", "Datum"):
        assert f">{heading}</h" in dutch, heading
    assert "HTML-versie" in dutch and "toegankelijkheid@welbevinden.example" in dutch
    english = english_client(app).get("/toegankelijkheid").get_data(as_text=True)
    for heading in ("Accessibility statement", "Scope", "What does not conform yet", "Contact", "Date"):
        assert f">{heading}</h" in english, heading
    for url in ("/login", "/r", "/no/such/page"):
        assert 'href="/toegankelijkheid">Accessibility statement</a>' in english_client(app).get(url).get_data(as_text=True)
