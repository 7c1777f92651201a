"""A GGD region's theme: its administrator sets a colour (contrast-checked) and a PNG logo; everyone in
the region then gets them as a stylesheet from a route, never as inline style."""
import io
import re

from tests import factories
from tests.conftest import csrf_token, english_client, login
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.theme.palette import contrast, palette

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_the_palette_keeps_text_readable_on_every_colour_it_makes():
    for brand in ("#00587a", "#6b2a7a", "#1d6b2c", "#767676"):
        colours = palette(brand)
        assert contrast(colours["--wib-brand"], "#ffffff") >= 4.5
        assert contrast(colours["--wib-brand-strong"], "#ffffff") >= 4.5
        assert contrast(colours["--wib-brand-subtle"], "#1b1b1b") >= 4.5
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


def _admin(app):
    with app.app_context():
        region = factories.region(name="GGD Kust")
        school = factories.school(factories.municipality(region))
        admin = factories.user(Role.REGION_ADMIN, region)
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
        other = factories.user(Role.REGION_ADMIN, factories.region())
        db.session.commit()
        return region.id, admin.email, coordinator.email, other.email


def test_a_region_admin_sets_colour_and_logo_and_the_region_sees_them(app):
    region_id, admin, coordinator, _ = _admin(app)
    client = english_client(app)
    login(client, admin)
    url = f"/admin/regions/{region_id}/theme"
    token = csrf_token(client, url)
    too_light = client.post(url, data={"colour": "#ffdd00", "csrf_token": token})
    assert too_light.status_code == 400 and "too light" in too_light.get_data(as_text=True)
    not_png = client.post(url, data={"colour": "#6b2a7a", "csrf_token": token,
                                     "logo": (io.BytesIO(b"<svg onload=x>"), "logo.svg")})
    assert not_png.status_code == 400 and "PNG file" in not_png.get_data(as_text=True)
    saved = client.post(url, data={"colour": "#6B2A7A", "csrf_token": token, "logo": (io.BytesIO(PNG), "logo.png")},
                        follow_redirects=True)
    assert "The theme of GGD Kust is saved." in saved.get_data(as_text=True)

    school_client = english_client(app)
    login(school_client, coordinator)
    page = school_client.get("/", follow_redirects=True).get_data(as_text=True)
    stylesheet = re.search(r'<link rel="stylesheet" href="(/theme/\d+\.css\?v=\d+)">', page).group(1)
    logo = re.search(r'<img class="brand-logo" src="(/theme/\d+/logo\.png\?v=\d+)"', page).group(1)
    assert "GGD Kust" in page and " style=" not in page
    css = english_client(app).get(stylesheet)        # public and cacheable: colours are no secret
    assert css.mimetype == "text/css" and "--wib-brand:#6b2a7a;" in css.get_data(as_text=True)
    assert "immutable" in css.headers["Cache-Control"]
    assert english_client(app).get(logo).data == PNG


def test_only_the_regions_own_administrator_can_change_its_theme(app):
    region_id, _, coordinator, other = _admin(app)
    for email in (coordinator, other):
        client = english_client(app)
        login(client, email)
        assert client.get(f"/admin/regions/{region_id}/theme").status_code == 404
    assert english_client(app).get(f"/theme/{region_id}.css").status_code == 404   # no theme set yet


def test_a_page_without_a_region_uses_the_products_own_theme(client):
    page = client.get("/login").get_data(as_text=True)
    assert "/theme/" not in page and "nlds/nlds.css" in page
