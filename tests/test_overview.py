"""The overview pages: summaries refreshed by jobs, what each role reaches, and a query count that
does not grow with the number of answers."""
from __future__ import annotations

import re

from sqlalchemy import event, select

from tests import factories
from tests.conftest import english_client, login
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.rounds.demo import add_round
from wellbeing.rounds.models import RoundStatus
from wellbeing.schoolyear import SchoolYear
from wellbeing.summaries.models import RoundSummary, SchoolStatus
from wellbeing.summaries.refresh import refresh_all
from wellbeing.tenancy.models import SchoolType, Sharing

CURRENT = SchoolYear.current()


def _municipality_with_rounds(app, schools: int, team: int):
    """A municipality with ``schools`` po schools, each with a finalised round of ``team`` answers."""
    import random

    with app.app_context():
        region = factories.region()
        municipality = factories.municipality(region, name="Meetstad")
        rng = random.Random(schools * 1000 + team)
        for _ in range(schools):
            school = factories.school(municipality, school_type=SchoolType.PO)
            add_round(school, CURRENT, RoundStatus.FINALISED, team, team, 2.5, rng)
        officer = factories.user(Role.MUNICIPALITY_OFFICER, municipality)
        db.session.commit()
        refresh_all()
        release()
        return municipality.id, officer.email


def release() -> None:
    from wellbeing.release.job import make_release

    make_release(reason="manual")
    db.session.commit()


def _statements(app, client, url: str) -> tuple[int, str]:
    with app.app_context():
        engine = db.engine()
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)
    event.listen(engine, "before_cursor_execute", count)
    try:
        response = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200
    return len(seen), response.get_data(as_text=True)


def test_the_overview_reads_its_release_in_the_same_queries_with_ten_times_the_answers(app):
    small_id, small_officer = _municipality_with_rounds(app, schools=6, team=4)
    client = english_client(app)
    login(client, small_officer)
    few, page = _statements(app, client, f"/municipality/{small_id}")
    # all six finalised: "all" is never shown as such, only with its neighbour
    few_cached, cached_page = _statements(app, client, f"/municipality/{small_id}")
    # The same page from the cache; only the CSRF tokens differ (they carry the time they were made).
    tokenless = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*')
    assert "5–6 / 6" in page and tokenless.sub(r"\1", cached_page) == tokenless.sub(r"\1", page)
    big_id, big_officer = _municipality_with_rounds(app, schools=6, team=40)
    other = english_client(app)
    login(other, big_officer)
    many, _ = _statements(app, other, f"/municipality/{big_id}")
    assert few == many and many <= 8


def test_between_releases_nothing_moves_and_the_next_release_shows_the_change(app):
    municipality_id, officer = _municipality_with_rounds(app, schools=5, team=4)
    client = english_client(app)
    login(client, officer)
    before = client.get(f"/municipality/{municipality_id}").get_data(as_text=True)
    assert "4–5 / 5" in before and "the next release is on" in before
    with app.app_context():
        from wellbeing.tenancy.models import Municipality
        factories.school(db.session.get(Municipality, municipality_id), school_type=SchoolType.PO)
        db.session.commit()
        refresh_all()
    def figures(page: str) -> str:
        return re.sub(r'name="csrf_token" value="[^"]*"', "", page)
    assert figures(client.get(f"/municipality/{municipality_id}").get_data(as_text=True)) == figures(before)
    with app.app_context():
        release()
    assert "5–6 / 6" in client.get(f"/municipality/{municipality_id}").get_data(as_text=True)


def test_finalising_a_round_refreshes_the_summaries_through_the_job(app):
    with app.app_context():
        school = factories.school(gsa_sharing=Sharing.PROGRESS)
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
        import random
        round_ = add_round(school, CURRENT, RoundStatus.CLOSED, 5, 5, 3.0, random.Random(1))
        db.session.commit()
        school_id, round_id, email = school.id, round_.id, coordinator.email
    client = english_client(app)
    login(client, email)
    url = f"/school/{school_id}/rounds/{round_id}"
    from tests.conftest import csrf_token
    client.post(f"{url}/status", data={"action": "finalise", "csrf_token": csrf_token(client, url)})
    with app.app_context():
        status = db.session.get(SchoolStatus, school_id)
        assert status is not None and status.finalised_this_year and status.round_status == "finalised"
        summary = db.session.scalar(select(RoundSummary).where(RoundSummary.round_id == round_id))
        assert summary is not None and summary.scored


def test_a_municipality_officer_reaches_the_overview_but_never_a_school(app):
    municipality_id, officer = _municipality_with_rounds(app, schools=5, team=5)
    client = english_client(app)
    login(client, officer)
    page = client.get(f"/municipality/{municipality_id}").get_data(as_text=True)
    with app.app_context():
        from wellbeing.tenancy.models import School
        schools = db.session.scalars(select(School).where(School.municipality_id == municipality_id)).all()
        names = [s.name for s in schools]
        ids = [s.id for s in schools]
    assert not any(name in page for name in names)
    for school_id in ids:
        for path in ("", "/rounds", "/menu-card", "/plan", "/vignet", "/report", "/export.xlsx"):
            assert client.get(f"/school/{school_id}{path}").status_code == 404
    csv_text = client.get(f"/municipality/{municipality_id}/overview.csv").get_data(as_text=True)
    assert not any(name in csv_text for name in names)
    assert re.search(r"participation;[^;]*;po;", csv_text)


def test_the_national_overview_is_for_platform_administrators_and_reads_the_release(app):
    with app.app_context():
        admin = factories.user(Role.PLATFORM_ADMIN)
        db.session.commit()
        admin_email = admin.email
    client = english_client(app)
    login(client, admin_email)
    assert "No figures have been released yet" in client.get("/overview/national").get_data(as_text=True)
    municipality_id, officer = _municipality_with_rounds(app, schools=6, team=5)
    statements, page = _statements(app, client, "/overview/national")
    assert "the Netherlands" in page and "5–6 / 6" in page and statements <= 6
    assert client.get("/overview/national.csv").status_code == 200
    other = english_client(app)
    login(other, officer)
    assert other.get("/overview/national").status_code == 404
    assert other.get("/overview/national.csv").status_code == 404


def test_a_refresh_keeps_finalised_round_summaries_and_recomputes_them_when_asked(app):
    from wellbeing.summaries.models import ElementSummary
    from wellbeing.summaries.refresh import refresh_school
    from wellbeing.tenancy.models import School

    municipality_id, _ = _municipality_with_rounds(app, schools=1, team=4)
    with app.app_context():
        school = db.session.scalar(select(School).where(School.municipality_id == municipality_id))
        first = db.session.scalar(select(ElementSummary.score).limit(1))
        db.session.execute(ElementSummary.__table__.update().values(score=-1.0))  # marks what was reused
        refresh_school(school)
        assert set(db.session.scalars(select(ElementSummary.score))) == {-1.0}  # not recomputed
        refresh_school(school, full=True)
        assert db.session.scalar(select(ElementSummary.score).limit(1)) == first
        db.session.commit()
