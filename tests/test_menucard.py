"""The menu card: marks per activity, own activities, gaps per pillar, bad input kept and explained."""
from __future__ import annotations

from sqlalchemy import select

from tests.conftest import csrf_token
from tests.school_content import coordinator_client, gsa_client
from wellbeing import db
from wellbeing.menucard.models import MenuEntry, MenuStatus
from wellbeing.schoolyear import SchoolYear
from wellbeing.tenancy.models import SchoolType, Sharing


def _entries(app, school_id):
    with app.app_context():
        return {(e.activity_id or e.title): e for e in db.session.scalars(
            select(MenuEntry).where(MenuEntry.school_id == school_id))}


def test_a_new_menu_card_shows_every_pillar_as_a_gap_with_the_sector_labels(app):
    client, school_id = coordinator_client(app, SchoolType.MBO)
    page = client.get(f"/school/{school_id}/menu-card").get_data(as_text=True)
    assert "Health education" in page and "Physical and social environment" in page
    assert page.count("Gap: nothing done yet") == 4
    po_client, po_school = coordinator_client(app, SchoolType.PO)
    assert "School environment" in po_client.get(f"/school/{po_school}/menu-card").get_data(as_text=True)


def test_marking_doing_records_since_and_grades_and_closes_the_gap(app):
    client, school_id = coordinator_client(app)
    url = f"/school/{school_id}/menu-card"
    since = str(SchoolYear.current() - 2)
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url), "a-educatie.sel-programme-status": "doing",
        "a-educatie.sel-programme-since": since, "a-educatie.sel-programme-grades": "groep 1-8",
        "a-educatie.sel-programme-note": "Met Kanjertraining", "a-signaleren.safety-monitor-status": "want"})
    assert response.status_code == 302
    entries = _entries(app, school_id)
    doing = entries["educatie.sel-programme"]
    assert doing.status == MenuStatus.DOING and doing.since_year == since and doing.grades == "groep 1-8"
    assert entries["signaleren.safety-monitor"].status == MenuStatus.WANT
    page = client.get(url).get_data(as_text=True)
    assert page.count("Gap: nothing done yet") == 3


def test_a_wrong_field_is_explained_and_the_other_activities_are_saved(app):
    client, school_id = coordinator_client(app)
    url = f"/school/{school_id}/menu-card"
    future = str(SchoolYear.current() + 1)
    response = client.post(url, data={
        "csrf_token": csrf_token(client, url),
        "a-educatie.sel-programme-status": "doing", "a-educatie.sel-programme-since": future,
        "a-educatie.sel-programme-grades": "typed grades stay",
        "a-signaleren.safety-monitor-status": "doing", "a-beleid.school-plan-status": "bogus"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "cannot be a school year that has not started" in body and "Choose one of the statuses." in body
    assert 'value="typed grades stay"' in body
    entries = _entries(app, school_id)
    assert entries["signaleren.safety-monitor"].status == MenuStatus.DOING
    assert "educatie.sel-programme" not in entries and "beleid.school-plan" not in entries


def test_an_activity_of_another_school_type_or_an_unknown_intervention_is_refused(app):
    client, school_id = coordinator_client(app, SchoolType.PO)
    url = f"/school/{school_id}/menu-card"
    with app.app_context():
        card = app.extensions["wellbeing.instruments"].latest("menu-card-welbevinden")
        vo_only = next(a.id for a in card.activities().values() if "po" not in a.school_types)
    response = client.post(url, data={"csrf_token": csrf_token(client, url), f"a-{vo_only}-status": "doing",
                                      "a-educatie.sel-programme-status": "doing",
                                      "a-educatie.sel-programme-intervention": "no-such-thing"})
    assert response.status_code == 400 and "Choose an intervention from the list." in response.get_data(as_text=True)
    assert _entries(app, school_id) == {}


def test_own_activities_can_be_added_marked_and_removed(app):
    client, school_id = coordinator_client(app)
    url = f"/school/{school_id}/menu-card"
    token = csrf_token(client, url)
    refused = client.post(f"{url}/own", data={"csrf_token": token, "pillar": "omgeving", "title": "  "})
    assert refused.status_code == 400 and "Give the activity a name." in refused.get_data(as_text=True)
    added = client.post(f"{url}/own", data={"csrf_token": token, "pillar": "omgeving", "title": "Buddy bench",
                                            "new-status": "doing"})
    assert added.status_code == 302
    entry = _entries(app, school_id)["Buddy bench"]
    assert entry.own and entry.pillar == "omgeving" and entry.status == MenuStatus.DOING
    page = client.get(url).get_data(as_text=True)
    assert "Buddy bench (own activity)" in page and page.count("Gap: nothing done yet") == 3
    client.post(f"{url}/own/{entry.id}/delete", data={"csrf_token": token})
    assert _entries(app, school_id) == {}


def test_a_gsa_with_content_sharing_reads_the_card_but_cannot_change_it(app):
    coordinator, school_id = coordinator_client(app, sharing=Sharing.CONTENT)
    url = f"/school/{school_id}/menu-card"
    gsa = gsa_client(app, school_id)
    page = gsa.get(url)
    assert page.status_code == 200 and "Save menu card" not in page.get_data(as_text=True)
    token = csrf_token(gsa, url)
    refused = gsa.post(url, data={"csrf_token": token, "a-educatie.sel-programme-status": "doing"})
    assert refused.status_code == 403 and _entries(app, school_id) == {}
