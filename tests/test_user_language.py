"""Does a Dutch user read Dutch in the exports: headers and values, never the codes they are stored as?"""
from __future__ import annotations

import csv
import io

from tests import factories
from tests.conftest import csrf_token, login
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.schoolyear import SchoolYear

CODES = {"doing", "want", "finalised", "planned", "in_progress", "high", "medium", "yes", "no", "True", "False",
         "p1", "year", "educatie", "goal", "action"}


def _dutch_coordinator(app):
    with app.app_context():
        school = factories.school()
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school, locale="nl")
        db.session.commit()
        school_id, email = school.id, coordinator.email
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client, school_id


def _rows(client, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))


def test_exports_speak_dutch_to_a_dutch_coordinator(app):
    client, school_id = _dutch_coordinator(app)
    card = f"/school/{school_id}/menu-card"
    client.post(card, data={"csrf_token": csrf_token(client, card), "a-educatie.sel-programme-status": "doing"})
    plan = f"/school/{school_id}/plan/actions/new"
    client.post(plan, data={"csrf_token": csrf_token(client, plan), "title": "Kanjertraining invoeren",
                            "pillar": "educatie", "school_year": str(SchoolYear.current()), "period": "p1",
                            "status": "planned"})
    menu = _rows(client, f"/school/{school_id}/export/menu-card.csv")
    assert menu[0][:3] == ["Pijler", "Activiteit-id", "Activiteit"]
    assert menu[1][0] == "Educatie" and "Doen we al" in menu[1] and "nee" in menu[1]
    for part in ("menu-card", "plan", "rounds"):
        rows = _rows(client, f"/school/{school_id}/export/{part}.csv")
        header = rows[0]
        assert all(cell and "_" not in cell and cell[0].isupper() for cell in header), (part, header)
        values = {cell for row in rows[1:] for cell in row}
        assert not values & CODES, (part, values & CODES)
