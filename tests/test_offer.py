"""The local offer: keeping it, schools linking to it, CSV in and out, uptake published upward."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import csrf_token, english_client, login
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.offer import csvio, service, uptake
from wellbeing.offer.models import LinkKind, OfferItem, OfferLink, Partner, PartnerKind
from wellbeing.plans.models import Action
from wellbeing.tenancy.models import Sharing
from wellbeing.pillars import PILLARS

HEADER = "partner;soort;contact;titel;omschrijving;niveau;pijler;schooltypen;leeftijd;aanvragen;betaald_door"


def _item(partner, municipalities, title, note="", level="universal", pillar="omgeving", types="po"):
    item = OfferItem(region_id=partner.region_id, partner_id=partner.id, title=title, level=level, pillar=pillar,
                     school_types=types, age_min=4, age_max=12, private_note=note, municipalities=municipalities)
    db.session.add(item)
    db.session.flush()
    return item


@pytest.fixture
def world(app):
    """A region with municipalities A and B, a school and its staff in each, and an offer in each with
    a private note."""
    with app.app_context():
        region = factories.region()
        a, b = factories.municipality(region, name="Aastad"), factories.municipality(region, name="Beedorp")
        school_a = factories.school(a, name="School A", gsa_sharing=Sharing.CONTENT)
        school_b = factories.school(b, name="School B")
        partner = Partner(region_id=region.id, name="Jongerenwerk Demo", kind=PartnerKind.YOUTH_WORK,
                          contact="jw@example.org")
        db.session.add(partner)
        db.session.flush()
        item_a = _item(partner, [a], "Youth workers at break in A", note="SECRET-A budget ends in June")
        item_b = _item(partner, [b], "Youth workers at break in B", note="SECRET-B")
        users = {
            "coordinator_a": factories.user(Role.SCHOOL_COORDINATOR, school_a),
            "coordinator_b": factories.user(Role.SCHOOL_COORDINATOR, school_b),
            "officer_a": factories.user(Role.MUNICIPALITY_OFFICER, a),
            "gsa": factories.user(Role.GSA, region),
            "admin": factories.user(Role.REGION_ADMIN, region),
        }
        factories.assign(users["gsa"], school_a)
        action = Action(school_id=school_a.id, pillar="omgeving", title="Youth work at break", school_year="2026-2027")
        db.session.add(action)
        db.session.commit()
        return {"a": a.id, "b": b.id, "a_code": a.code, "b_code": b.code, "school_a": school_a.id,
                "school_b": school_b.id, "item_a": item_a.id, "item_b": item_b.id, "action": action.id,
                "region": region.id, **{k: u.email for k, u in users.items()}}


def _client(app, email):
    client = english_client(app)
    assert login(client, email).status_code == 302
    return client


# --- access ------------------------------------------------------------------------------------

def test_a_coordinator_sees_only_their_own_municipalitys_offer_and_never_a_private_note(app, world):
    client = _client(app, world["coordinator_b"])
    page = client.get(f"/school/{world['school_b']}/offer").get_data(as_text=True)
    assert "Youth workers at break in B" in page and "in A" not in page
    assert "SECRET" not in page
    for url in (f"/school/{world['school_b']}/menu-card", f"/school/{world['school_a']}/offer",
                f"/municipality/{world['b']}/offer", f"/municipality/{world['b']}/offer/export.csv"):
        response = client.get(url)
        assert "SECRET" not in response.get_data(as_text=True)
    assert client.get(f"/school/{world['school_a']}/offer").status_code == 404
    assert client.get(f"/municipality/{world['b']}/offer").status_code == 404


def test_a_gsa_keeps_the_offer_but_never_sees_private_notes(app, world):
    client = _client(app, world["gsa"])
    for url in (f"/municipality/{world['a']}/offer", f"/municipality/{world['a']}/offer/items/{world['item_a']}",
                f"/municipality/{world['a']}/offer/export.csv", f"/school/{world['school_a']}/offer",
                f"/school/{world['school_a']}/menu-card"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "SECRET" not in response.get_data(as_text=True), url


def test_a_gsa_saving_an_offer_keeps_its_private_note(app, world):
    client = _client(app, world["gsa"])
    url = f"/municipality/{world['a']}/offer/items/{world['item_a']}"
    with app.app_context():
        partner_id = db.session.get(OfferItem, world["item_a"]).partner_id
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "partner_id": str(partner_id), "title": "Youth workers at break in A",
        "description": "Now with a quiz", "level": "selective", "pillar": "omgeving", "school_types": ["po"],
        "age_min": "4", "age_max": "12", "municipalities": [str(world["a"])], "private_note": "overwritten"})
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(OfferItem, world["item_a"])
        assert (item.level, item.description, item.private_note) == (
            "selective", "Now with a quiz", "SECRET-A budget ends in June")


def test_the_officer_and_region_admin_see_private_notes_of_their_own_municipality_only(app, world):
    officer = _client(app, world["officer_a"])
    assert "SECRET-A" in officer.get(f"/municipality/{world['a']}/offer").get_data(as_text=True)
    assert "SECRET-A" in officer.get(f"/municipality/{world['a']}/offer/export.csv").get_data(as_text=True)
    assert officer.get(f"/municipality/{world['b']}/offer").status_code == 404
    admin = _client(app, world["admin"])
    assert "SECRET-B" in admin.get(f"/municipality/{world['b']}/offer").get_data(as_text=True)


# --- links -------------------------------------------------------------------------------------

def test_a_coordinator_links_an_activity_and_a_plan_action_and_marks_a_wish(app, world):
    client = _client(app, world["coordinator_a"])
    url = f"/school/{world['school_a']}/offer"
    token = csrf_token(client, url)
    for target, kind in (("a:omgeving.youth-workers", "uses"), (f"p:{world['action']}", "uses"), ("", "wish")):
        response = client.post(f"{url}/links", data={"csrf_token": token, "item": world["item_a"], "kind": kind,
                                                     "target": target})
        assert response.status_code == 302
    card = client.get(f"/school/{world['school_a']}/menu-card").get_data(as_text=True)
    assert "Carried out by Jongerenwerk Demo: Youth workers at break in A" in card
    assert "From your municipality" in card
    action = client.get(f"/school/{world['school_a']}/plan/actions/{world['action']}").get_data(as_text=True)
    assert "Carried out by Jongerenwerk Demo" in action
    with app.app_context():
        kinds = sorted(k.value for k in db.session.scalars(select(OfferLink.kind)))
    assert kinds == ["uses", "uses", "wish"]
    gsa = _client(app, world["gsa"])
    page = gsa.get(url).get_data(as_text=True)
    assert "You wish for this offer" in page and "Carries out plan action: Youth work at break" in page


def test_a_school_cannot_link_another_municipalitys_offer_or_anothers_action(app, world):
    with app.app_context():
        from wellbeing.tenancy.models import School
        school_a, school_b = db.session.get(School, world["school_a"]), db.session.get(School, world["school_b"])
        for args, code in (((school_b, world["item_a"], "wish"), "unknown-item"),
                           ((school_a, world["item_a"], "uses", ""), "target-required"),
                           ((school_b, world["item_b"], "uses", f"p:{world['action']}"), "unknown-target"),
                           ((school_a, world["item_a"], "uses", "a:no-such-activity"), "unknown-target")):
            with pytest.raises(service.OfferError) as caught:
                service.add_link(*args)
            assert caught.value.code == code
        first = service.add_link(school_a, world["item_a"], "wish")
        db.session.flush()
        assert service.add_link(school_a, world["item_a"], "wish") is first
        db.session.rollback()


def test_a_gsa_cannot_link_for_the_school(app, world):
    client = _client(app, world["gsa"])
    token = csrf_token(client, f"/school/{world['school_a']}/offer")
    response = client.post(f"/school/{world['school_a']}/offer/links",
                           data={"csrf_token": token, "item": world["item_a"], "kind": "wish"})
    assert response.status_code == 403


# --- CSV ---------------------------------------------------------------------------------------

GOOD = (HEADER + ";gemeenten;notitie\n"
        "Buurtsport Demo;sports_coach;bsc@example.org;Active breaks;Games at break;basis;omgeving;po;4-12;"
        "Mail the coach;municipality;{codes};\n"
        "GGD Demo;jgz;0800-123;Contact moment year 2;Nurse sees every pupil;basis;signaleren;vo;13-14;"
        "Automatic;GGD;{a};\n")


def _import(app, text, email_key, world, municipality="a"):
    client = _client(app, world[email_key])
    url = f"/municipality/{world[municipality]}/offer/import"
    import io
    return client.post(url, data={"csrf_token": csrf_token(client, url),
                                  "file": (io.BytesIO(text.encode()), "offer.csv")},
                       content_type="multipart/form-data")


def _count(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OfferItem))


def test_an_import_with_bad_lines_reports_each_with_its_line_and_writes_nothing(app, world):
    text = GOOD.format(codes=world["a_code"], a=world["a_code"]) + (
        "Buurtsport Demo;sports_coach;bsc@example.org;Skills;Text;middel;omgeving;po;4-12;x;y;;\n"
        "Buurtsport Demo;sports_coach;bsc@example.org;Other;Text;basis;omgeving;hbo;12-4;x;y;;\n"
        "GGD Demo;jgz;0800-123;Contact moment year 2;dup;basis;signaleren;vo;13-14;x;y;;\n")
    before = _count(app)
    response = _import(app, text, "admin", world)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "offer.csv:4: level &#39;middel&#39; is not one of basis, extra, speciaal" in page
    assert "offer.csv:5:" in page and "school types" in page and "ages" in page
    assert "offer.csv:6: this item also appears on line 3" in page
    assert _count(app) == before


def test_an_officer_cannot_import_for_a_municipality_they_do_not_keep(app, world):
    text = GOOD.format(codes=f"{world['a_code']} {world['b_code']}", a=world["a_code"])
    response = _import(app, text, "officer_a", world)
    assert response.status_code == 400
    assert f"offer.csv:2: municipality {world['b_code']} is not one whose offer you keep" in response.get_data(
        as_text=True)
    assert _count(app) == 2


def test_a_region_admin_imports_for_several_municipalities_at_once(app, world):
    text = GOOD.format(codes=f"{world['a_code']} {world['b_code']}", a=world["a_code"])
    assert _import(app, text, "admin", world).status_code == 302
    with app.app_context():
        item = db.session.scalar(select(OfferItem).where(OfferItem.title == "Active breaks"))
        assert sorted(m.id for m in item.municipalities) == sorted([world["a"], world["b"]])
        assert item.level == "universal" and item.partner.kind == PartnerKind.SPORTS_COACH
    assert _count(app) == 4
    # The same file again updates, never duplicates.
    assert _import(app, text, "admin", world).status_code == 302
    assert _count(app) == 4


def test_a_gsa_cannot_set_private_notes_by_import(app, world):
    text = HEADER + ";notitie\nX;other;;Y;;basis;beleid;po;4-12;;;my note\n"
    response = _import(app, text, "gsa", world)
    assert response.status_code == 400 and "offer.csv:2: you cannot set private notes" in response.get_data(
        as_text=True)


def test_export_neutralises_formula_cells_and_imports_back_unchanged(app, world):
    with app.app_context():
        item = db.session.get(OfferItem, world["item_a"])
        item.description, item.paid_by = "=HYPERLINK(\"http://evil\")", "+31 30 123"
        item.partner.contact = "@home"
        db.session.commit()
    client = _client(app, world["admin"])
    text = client.get(f"/municipality/{world['a']}/offer/export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text and "'+31 30 123" in text and "'@home" in text
    assert ";=" not in text and ";+" not in text and ";@" not in text
    with app.app_context():
        from wellbeing.tenancy.models import Municipality
        a = db.session.get(Municipality, world["a"])
        result = csvio.import_offer(text.lstrip("\ufeff"), world["region"], {a.code: a}, notes_allowed=True)
        assert result.ok and result.updated == 1
        item = db.session.get(OfferItem, world["item_a"])
        assert item.description == "=HYPERLINK(\"http://evil\")" and item.private_note.startswith("SECRET-A")
        db.session.rollback()


def test_the_export_is_written_by_the_one_csv_writer_and_keeps_ages_as_text(app, world):
    client = _client(app, world["admin"])
    response = client.get(f"/municipality/{world['a']}/offer/export.csv")
    assert response.headers["Content-Disposition"] == f'attachment; filename="aanbod-{world["a_code"]}.csv"'
    assert response.get_data(as_text=True).startswith("\ufeffpartner;soort;")
    assert ";4-12;" in response.get_data(as_text=True)


# --- uptake -----------------------------------------------------------------------------------

def _schools(counts: dict[str, int], municipality: int = 1, start: int = 0):
    result, n = [], start
    for school_type, count in counts.items():
        for _ in range(count):
            n += 1
            result.append(uptake.SchoolFact(n, municipality, school_type))
    return result


def test_compute_counts_schools_once_and_only_where_the_item_is_offered():
    schools = _schools({"po": 6, "vo": 5}) + _schools({"po": 5}, municipality=2, start=100)
    items = [uptake.ItemFact(10, (1,), "selective", "omgeving", ("po", "vo"))]
    links = [uptake.LinkFact(1, 10, "uses"), uptake.LinkFact(1, 10, "uses"), uptake.LinkFact(7, 10, "wish"),
             uptake.LinkFact(101, 10, "uses")]   # school 101 is in municipality 2, where item 10 is not offered
    doing = [uptake.Doing(2, "selective", "omgeving")]
    cells = {(c.municipality_id, c.subject, c.measure, c.school_type): c for c in
             uptake.compute(schools, items, links, doing)}
    assert cells[(1, "item:10", "uses", "po")].count == 1
    assert cells[(1, "item:10", "wishes", "vo")].count == 1
    assert cells[(1, "matrix:selective:omgeving", "covered", "po")].count == 2
    assert cells[(1, "matrix:selective:omgeving", "covered", "all")].schools == 11
    assert cells[(2, "matrix:selective:omgeving", "uses", "po")].count == 0
    assert (2, "item:10", "uses", "po") not in cells


def _released(schools, items, links, doing, activities=(), minimum=5):
    """The uptake lines of one release, read back as the uptake page reads them."""
    from wellbeing.offer import disclosure
    from wellbeing.release.compute import Ledger, Outcome
    from wellbeing.release.job import area_payloads
    from wellbeing.release.tables import Geography
    cells = uptake.compute(schools, items, links, doing, activities)
    outcome = Outcome()
    outcome.counts.update(disclosure.release(cells, items, {1: 1}, "2026-2027", minimum, Ledger(), activities))
    counts: dict = {}
    for s in schools:
        counts[(s.municipality_id, s.school_type)] = counts.get((s.municipality_id, s.school_type), 0) + 1
    payload = area_payloads(Geography({1: 1}, counts), outcome).get(("m", 1), {})
    return uptake.figures(payload, "2026-2027")


def test_a_release_hides_small_cells_and_what_would_give_them_away():
    schools = _schools({"po": 12, "vo": 6, "so": 2})
    links = [uptake.LinkFact(s.school_id, 10, "uses") for s in schools if s.school_id % 3]
    items = [uptake.ItemFact(10, (1,), "universal", "educatie", ("po", "vo", "so"))]
    line = _released(schools, items, links, [])[("item:10", "uses")]
    assert line["so"].hidden                               # two schools
    assert line["po"].shown is not None and not line["po"].hidden
    # so cannot be worked out from the total and the others (a band or a hidden cell in between).
    known = [line[t].shown for t in ("po", "vo", "all")]
    assert None in known or any(lo != hi for lo, hi in known)
    for figure in line.values():
        assert figure.shown is None or figure.schools >= 5


def test_a_type_that_cannot_use_an_item_has_no_figure_and_counts_in_no_total():
    """An item for po and so only: vo and mbo schools cannot link it, so their 0 is public and no
    figure of the release; the total adds up po and so only."""
    schools = _schools({"po": 6, "vo": 6, "so": 2, "mbo": 1})
    items = [uptake.ItemFact(10, (1,), "indicated", "omgeving", ("po", "so"))]
    so_school = next(s for s in schools if s.school_type == "so")
    line = _released(schools, items, [uptake.LinkFact(so_school.school_id, 10, "uses")], [])[("item:10", "uses")]
    assert set(line) == {"po", "so", "all"}
    assert line["all"].schools == 8 and line["so"].hidden
    assert line["all"].shown is None or line["all"].shown[0] == 0     # a band from none: who it is stays open


def test_white_spots_show_only_where_released_figures_say_nothing_covers_it():
    schools = _schools({"po": 8, "vo": 6, "so": 2})
    items = [uptake.ItemFact(10, (1,), "universal", "educatie", ("po",))]
    doing = [uptake.Doing(s, "indicated", "beleid") for s in (1, 2, 3, 4)]
    possible = [(level, pillar, t) for level in uptake.LEVELS for pillar in PILLARS for t in uptake.TYPES
                if (level, pillar) != ("selective", "signaleren")]
    found = _released(schools, items, [], doing, possible)
    spots = {(s.level, s.pillar, s.school_type): s for s in uptake.spots(found, items, 1, ["po", "vo", "so"])}
    assert spots[("universal", "educatie", "po")].state is None           # on offer
    assert spots[("indicated", "beleid", "po")].state is None             # four schools do it
    assert spots[("selective", "omgeving", "po")].state == uptake.WHITE_SPOT
    assert spots[("selective", "signaleren", "vo")].state == uptake.WHITE_SPOT   # nothing anyone could do
    assert spots[("selective", "omgeving", "so")].state == uptake.PROTECTED     # two schools: hidden


def test_release_values_key_cells_as_the_release_tables_do():
    schools = _schools({"po": 5})
    values = uptake.as_release_values(uptake.compute(schools, [], [], [uptake.Doing(1, "universal", "beleid")]))
    assert values[("matrix:universal:beleid", "covered")] == {(1, "po"): 1}


def test_the_officer_sees_uptake_from_the_release_without_school_names(app, world):
    client = _client(app, world["officer_a"])
    page = client.get(f"/municipality/{world['a']}/offer/uptake").get_data(as_text=True)
    assert "No figures have been released yet" in page
    with app.app_context():
        from wellbeing.release.job import make_release
        from wellbeing.tenancy.models import School
        school = db.session.get(School, world["school_a"])
        service.add_link(school, world["item_a"], "uses", "a:omgeving.youth-workers")
        make_release()
        db.session.commit()
        service.add_link(school, world["item_a"], "wish")
        db.session.commit()
    page = client.get(f"/municipality/{world['a']}/offer/uptake").get_data(as_text=True)
    assert "Uptake and white spots in Aastad" in page and "Figures released on" in page
    assert "School A" not in page
    assert "hidden" in page        # one school: every cell rests on too few schools
    assert "1 / " not in page      # and no figure says what that one school does
    assert client.get(f"/municipality/{world['b']}/offer/uptake").status_code == 404


def test_deleting_an_action_removes_its_links(app, world):
    with app.app_context():
        from wellbeing.tenancy.models import School
        service.add_link(db.session.get(School, world["school_a"]), world["item_a"], "uses", f"p:{world['action']}")
        db.session.commit()
        db.session.delete(db.session.get(Action, world["action"]))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(OfferLink)) == 0
        assert LinkKind.USES.value == "uses"


def test_an_officer_cannot_change_a_partner_that_also_serves_another_municipality(app, world):
    client = _client(app, world["officer_a"])
    with app.app_context():
        partner_id = db.session.get(OfferItem, world["item_a"]).partner_id
    url = f"/municipality/{world['a']}/offer/partners/{partner_id}"
    page = client.get(url)
    assert page.status_code == 200 and "it can be changed there" in page.get_data(as_text=True)
    response = client.post(url, data={"csrf_token": csrf_token(client, url), "name": "Renamed", "kind": "other"})
    assert response.status_code == 403
    admin = _client(app, world["admin"])
    assert admin.post(url, data={"csrf_token": csrf_token(admin, url), "name": "Renamed",
                                 "kind": "youth_work"}).status_code == 302


def test_a_gsa_seeing_progress_only_learns_that_an_action_is_linked_not_its_title(app, world):
    with app.app_context():
        from wellbeing.tenancy.models import School
        school = db.session.get(School, world["school_a"])
        service.add_link(school, world["item_a"], "uses", f"p:{world['action']}")
        school.gsa_sharing = Sharing.PROGRESS
        db.session.commit()
    page = _client(app, world["gsa"]).get(f"/school/{world['school_a']}/offer").get_data(as_text=True)
    assert "Carries out an action of the plan" in page and "Youth work at break" not in page


def test_an_officer_adds_a_partner_and_an_offer_that_the_schools_then_see(app, world):
    client = _client(app, world["officer_a"])
    url = f"/municipality/{world['a']}/offer/partners/new"
    assert client.post(url, data={"csrf_token": csrf_token(client, url), "name": "Wijkteam Aastad",
                                  "kind": "neighbourhood_team", "contact": "030 1"}).status_code == 302
    with app.app_context():
        partner_id = db.session.scalar(select(Partner.id).where(Partner.name == "Wijkteam Aastad"))
    url = f"/municipality/{world['a']}/offer/items/new"
    data = {"csrf_token": csrf_token(client, url), "partner_id": str(partner_id), "title": "Bridge officer",
            "level": "selective", "pillar": "omgeving", "school_types": ["po"], "age_min": "12", "age_max": "4",
            "municipalities": [str(world["a"])], "private_note": "NOTE-X"}
    response = client.post(url, data=data)
    assert response.status_code == 400 and "The upper age cannot be below the lower age." in response.get_data(
        as_text=True)
    data["age_max"] = "12"
    data["age_min"] = "4"
    data["municipalities"] = [str(world["b"])]       # not a municipality this officer keeps
    assert client.post(url, data=data).status_code == 400
    data["municipalities"] = [str(world["a"])]
    assert client.post(url, data=data).status_code == 302
    page = _client(app, world["coordinator_a"]).get(f"/school/{world['school_a']}/offer?pillar=omgeving")
    text = page.get_data(as_text=True)
    assert "Bridge officer" in text and "Wijkteam Aastad" in text and "NOTE-X" not in text
