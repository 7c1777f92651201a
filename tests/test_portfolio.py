"""The GSA portfolio: assigned schools with their progress facts, sorted by who needs a call first,
filters, visit notes, and nothing of a school's content."""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from tests import factories
from tests.conftest import csrf_token, english_client, login
from wellbeing import changes, db
from wellbeing.accounts.models import PortfolioAssignment, Role, User
from wellbeing.audit import AuditEntry
from wellbeing.db import utcnow
from wellbeing.portfolio.models import VisitNote
from wellbeing.summaries.models import SchoolStatus
from wellbeing.tenancy.models import Region, School, SchoolType, Sharing

TODAY = date.today()


def _status(school, **kw) -> SchoolStatus:
    """A summary row for ``school``: active three days ago and nothing wrong unless ``kw`` says so."""
    row = SchoolStatus(school_id=school.id, region_id=school.municipality.region_id,
                       municipality_id=school.municipality_id, school_type=school.school_type.value,
                       last_activity=kw.pop("last_activity", utcnow() - timedelta(days=3)), **kw)
    db.session.add(row)
    db.session.flush()
    return row


@pytest.fixture(autouse=True)
def _hand_written_summaries(monkeypatch):
    """These tests write the summary rows by hand; a commit must not refresh them from the schools'
    (empty) data, as it does in the product (wellbeing/changes.py)."""
    monkeypatch.setattr(changes, "HOOKS", [])


def _client(app, email: str):
    client = english_client(app)
    assert login(client, email).status_code == 302
    return client


def _school_names(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/school/\d+">([^<]+)</a>', html)


@pytest.fixture
def portfolio(app):
    """A GSA with four schools in two municipalities, and schools that are not theirs."""
    with app.app_context():
        region = factories.region()
        utrecht = factories.municipality(region, name="Utrecht")
        zeist = factories.municipality(region, name="Zeist")
        gsa = factories.user(Role.GSA, region, name="Gea Adviseur")
        calm = factories.school(utrecht, name="Calm school")
        _status(calm, phase=4, readiness_met=5, readiness_total=9, round_year="2025-2026", round_status="finalised",
                round_opened_at=utcnow() - timedelta(days=200), respondents_invited=20, respondents_submitted=12,
                certificate_expires=TODAY + timedelta(days=400))
        stalled = factories.school(utrecht, name="Stalled school", school_type=SchoolType.VO)
        _status(stalled, phase=2, round_year="2026-2027", round_status="open",
                round_opened_at=utcnow() - timedelta(days=60), respondents_invited=30, respondents_submitted=4,
                uncovered_high=2, overdue_actions=3, last_activity=utcnow() - timedelta(days=10))
        quiet = factories.school(zeist, name="Quiet school")
        _status(quiet, last_activity=utcnow() - timedelta(days=100), certificate_expires=TODAY - timedelta(days=20))
        priorities = factories.school(zeist, name="Priorities school")
        _status(priorities, uncovered_high=1, last_activity=utcnow() - timedelta(days=50))
        new = factories.school(zeist, name="New school", school_type=SchoolType.SO)
        for school in (calm, stalled, quiet, priorities, new):
            factories.assign(gsa, school)
        colleague = factories.user(Role.GSA, region, name="Co Lega")
        not_mine = factories.school(utrecht, name="Colleague's school")
        _status(not_mine, uncovered_high=5)
        factories.assign(colleague, not_mine)
        _status(factories.school(factories.municipality(region), name="Unassigned school"), uncovered_high=1)
        db.session.commit()
        return {"gsa": gsa.email, "colleague": colleague.email, "utrecht": utrecht.id, "calm": calm.id,
                "stalled": stalled.id, "quiet": quiet.id, "new": new.id, "not_mine": not_mine.id}


ALL = ["Quiet school", "Stalled school", "Priorities school", "New school", "Calm school"]


def test_the_portfolio_lists_only_assigned_schools_with_their_status_sorted_by_triage(app, portfolio):
    response = _client(app, portfolio["gsa"]).get("/portfolio")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    # two flags (100 and 10 days without activity); one flag; not known yet; healthy
    assert _school_names(html) == ALL
    assert "Colleague&#39;s school" not in html and "Unassigned school" not in html
    assert "5 of 5 schools" in html
    stalled = re.search(rf'data-school="{portfolio["stalled"]}".*?</tr>', html, re.DOTALL).group(0)
    assert 'data-flags="round-stalled priorities-without-action"' in stalled
    assert "Round open for a long time" in stalled and "Priorities without action" in stalled
    assert "2026-2027" in stalled and "Open" in stalled and "4 of 30 answered" in stalled
    assert "2 of 6" in stalled and '<td class="num">3</td>' in stalled
    calm = re.search(rf'data-school="{portfolio["calm"]}".*?</tr>', html, re.DOTALL).group(0)
    assert 'data-flags=""' in calm and "5 of 9" in calm and "12 of 20 answered" in calm and "in 400 days" in calm
    quiet = re.search(rf'data-school="{portfolio["quiet"]}".*?</tr>', html, re.DOTALL).group(0)
    assert "No activity in 90 days" in quiet and "Certificate expires soon" in quiet and "expired" in quiet
    new = re.search(rf'data-school="{portfolio["new"]}".*?</tr>', html, re.DOTALL).group(0)
    assert "Not yet known" in new and f'/portfolio/school/{portfolio["new"]}/notes' in new


@pytest.mark.parametrize(("query", "expected"), [
    ("?municipality={utrecht}", ["Stalled school", "Calm school"]),
    ("?type=so", ["New school"]),
    ("?flagged=1", ["Quiet school", "Stalled school", "Priorities school"]),
    ("?municipality={utrecht}&type=vo&flagged=1", ["Stalled school"]),
    ("?municipality=&type=&flagged=", ALL),
    ("?type=nonsense&municipality=x", ALL),
    ("?type=mbo", []),
])
def test_filters_narrow_the_list_and_say_how_many_are_shown(app, portfolio, query, expected):
    html = _client(app, portfolio["gsa"]).get("/portfolio" + query.format(**portfolio)).get_data(as_text=True)
    assert _school_names(html) == expected
    assert f"{len(expected)} of 5 schools" in html
    if not expected:
        assert "No school matches these filters." in html


def test_the_filter_offers_the_municipalities_of_the_portfolio_and_keeps_the_choice(app, portfolio):
    html = _client(app, portfolio["gsa"]).get(f"/portfolio?municipality={portfolio['utrecht']}&flagged=1"
                                              ).get_data(as_text=True)
    options = re.findall(r'<option value="(\d+)"( selected)?>([^<]+)</option>', html)
    assert [(name, bool(selected)) for _, selected, name in options] == [("Utrecht", True), ("Zeist", False)]
    assert 'name="flagged" value="1" checked' in html


def _content(school) -> None:
    """School content with markers: a plan, a menu card, element scores and priorities in the summaries."""
    from wellbeing.menucard.models import MenuEntry, MenuStatus
    from wellbeing.plans.models import Action, Goal
    from wellbeing.rounds.models import Round, RoundMode, RoundStatus
    from wellbeing.summaries.models import ElementSummary, PrioritySummary, RoundSummary

    goal = Goal(school_id=school.id, what="SECRET-GOAL")
    round_ = Round(school_id=school.id, school_year="2025-2026", instrument_id="checklist-welbevinden",
                   instrument_version=1, mode=RoundMode.MEETING, status=RoundStatus.FINALISED)
    db.session.add_all([goal, round_, MenuEntry(school_id=school.id, title="SECRET-ACTIVITY", pillar="omgeving",
                                                status=MenuStatus.DOING)])
    db.session.flush()
    db.session.add(Action(school_id=school.id, goal_id=goal.id, pillar="beleid", title="SECRET-ACTION",
                          school_year="2025-2026"))
    db.session.add(RoundSummary(round_id=round_.id, school_id=school.id, region_id=school.municipality.region_id,
                                municipality_id=school.municipality_id, school_type="po", school_year="2025-2026",
                                scored=True))
    db.session.flush()
    db.session.add_all([ElementSummary(round_id=round_.id, element_id="SECRET-ELEMENT", score=3.1415),
                        PrioritySummary(round_id=round_.id, item_id="SECRET-ITEM")])
    db.session.flush()


@pytest.mark.parametrize("sharing", [Sharing.PROGRESS, Sharing.CONTENT])
def test_the_portfolio_never_shows_a_schools_content(app, sharing):
    """Even when the school shares its content, the portfolio and the notes page show progress only."""
    with app.app_context():
        region = factories.region()
        school = factories.school(factories.municipality(region), name="Open book", gsa_sharing=sharing)
        _status(school, uncovered_high=1, readiness_met=2, readiness_total=7)
        _content(school)
        gsa = factories.user(Role.GSA, region)
        factories.assign(gsa, school)
        db.session.commit()
        school_id, email = school.id, gsa.email
    client = _client(app, email)
    for url in ("/portfolio", f"/portfolio/school/{school_id}/notes"):
        html = client.get(url).get_data(as_text=True)
        assert "Open book" in html and "2 of 7" in html
        leaked = [m for m in ("SECRET-", "3.14", "3,14") if m in html]
        assert not leaked, f"{url} shows {leaked}"
        assert f"/school/{school_id}/rounds" not in html and f"/school/{school_id}/plan" not in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "content.viewed")) == 0


@pytest.mark.parametrize("role", [Role.MUNICIPALITY_OFFICER, Role.SCHOOL_COORDINATOR, Role.REGION_ADMIN])
def test_users_without_the_gsa_role_find_no_portfolio(app, role):
    with app.app_context():
        region = factories.region()
        municipality = factories.municipality(region)
        school = factories.school(municipality)
        scope = {Role.MUNICIPALITY_OFFICER: municipality, Role.SCHOOL_COORDINATOR: school,
                 Role.REGION_ADMIN: region}[role]
        email = factories.user(role, scope).email
        db.session.commit()
        school_id = school.id
    client = _client(app, email)
    assert client.get("/portfolio").status_code == 404
    assert client.get(f"/portfolio/school/{school_id}/notes").status_code == 404


def test_the_portfolio_needs_a_login(app, client):
    response = client.get("/portfolio")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# --- visit notes -------------------------------------------------------------------------------

def _notes_url(school_id: int) -> str:
    return f"/portfolio/school/{school_id}/notes"


def _add_note(client, school_id: int, visited_on, text: str):
    url = _notes_url(school_id)
    return client.post(url, data={"csrf_token": csrf_token(client, url), "visited_on": str(visited_on),
                                  "text": text})


def _note_ids(app, school_id: int) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(VisitNote.id).where(VisitNote.school_id == school_id)
                                       .order_by(VisitNote.id)))


def test_another_gsas_school_is_not_found_on_the_notes_pages(app, portfolio):
    client = _client(app, portfolio["gsa"])
    url = _notes_url(portfolio["not_mine"])
    assert client.get(url).status_code == 404
    token = csrf_token(client, _notes_url(portfolio["calm"]))
    assert client.post(url, data={"csrf_token": token, "visited_on": str(TODAY), "text": "x"}).status_code == 404
    colleague = _client(app, portfolio["colleague"])
    assert _add_note(colleague, portfolio["not_mine"], TODAY, "Colleague's note").status_code == 302
    note_id = _note_ids(app, portfolio["not_mine"])[0]
    assert client.post(f"{url}/{note_id}/delete", data={"csrf_token": token}).status_code == 404
    assert _note_ids(app, portfolio["not_mine"]) == [note_id]


def test_a_note_is_saved_shown_newest_first_and_logged(app, portfolio):
    client = _client(app, portfolio["gsa"])
    school_id = portfolio["calm"]
    assert client.get(_notes_url(school_id)).status_code == 200
    assert _add_note(client, school_id, TODAY - timedelta(days=30), "First visit: met the working group"
                     ).status_code == 302
    response = _add_note(client, school_id, TODAY, "Second visit: plan for next year")
    assert response.status_code == 302 and response.headers["Location"].endswith(_notes_url(school_id))
    html = client.get(_notes_url(school_id)).get_data(as_text=True)
    assert "The visit note is saved." in html and "Gea Adviseur" in html
    assert html.index("Second visit") < html.index("First visit")
    assert "Write no personal data about pupils or staff" in html
    with app.app_context():
        entries = db.session.execute(select(AuditEntry.action, AuditEntry.school_id)
                                     .where(AuditEntry.action == "visit_note.added")).all()
    assert entries == [("visit_note.added", school_id)] * 2


@pytest.mark.parametrize(("visited_on", "text", "error"), [
    (TODAY + timedelta(days=1), "Typed before the visit", "The date cannot be in the future."),
    (TODAY, "   ", "Write what the visit was about."),
    ("", "Forgot the date", "Give the date of the visit."),
    (TODAY, "x" * 4001, "Keep the note to 4000 characters or fewer."),
])
def test_an_invalid_note_is_refused_and_keeps_what_was_typed(app, portfolio, visited_on, text, error):
    client = _client(app, portfolio["gsa"])
    response = _add_note(client, portfolio["calm"], visited_on, text)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert error in html and 'aria-invalid="true"' in html
    if text.strip():
        assert f">{text}</textarea>" in html.replace("\r\n", "\n").replace(">\n", ">")
    if visited_on:
        assert f'value="{visited_on}"' in html
    assert _note_ids(app, portfolio["calm"]) == []


def test_only_the_author_removes_a_note_and_co_advisers_read_it(app, portfolio):
    with app.app_context():
        colleague = db.session.scalar(select(User).where(User.email == portfolio["colleague"]))
        factories.assign(colleague, db.session.get(School, portfolio["calm"]))
        db.session.commit()
    author, co_adviser = _client(app, portfolio["gsa"]), _client(app, portfolio["colleague"])
    school_id = portfolio["calm"]
    _add_note(author, school_id, TODAY, "Agreed to come back in spring")
    note_id = _note_ids(app, school_id)[0]
    seen = co_adviser.get(_notes_url(school_id)).get_data(as_text=True)
    assert "Agreed to come back in spring" in seen and "Gea Adviseur" in seen
    assert f"/notes/{note_id}/delete" not in seen
    token = csrf_token(co_adviser, _notes_url(school_id))
    assert co_adviser.post(f"{_notes_url(school_id)}/{note_id}/delete", data={"csrf_token": token}).status_code == 403
    assert _note_ids(app, school_id) == [note_id]
    token = csrf_token(author, _notes_url(school_id))
    assert f"/notes/{note_id}/delete" in author.get(_notes_url(school_id)).get_data(as_text=True)
    assert author.post(f"{_notes_url(school_id)}/{note_id}/delete", data={"csrf_token": token}).status_code == 302
    assert _note_ids(app, school_id) == []
    assert author.post(f"{_notes_url(school_id)}/{note_id}/delete", data={"csrf_token": token}).status_code == 404


def test_notes_of_one_school_never_show_on_another_and_cannot_be_removed_through_it(app, portfolio):
    client = _client(app, portfolio["gsa"])
    _add_note(client, portfolio["calm"], TODAY, "NOTE-ABOUT-CALM")
    note_id = _note_ids(app, portfolio["calm"])[0]
    other = _notes_url(portfolio["quiet"])
    assert "NOTE-ABOUT-CALM" not in client.get(other).get_data(as_text=True)
    token = csrf_token(client, other)
    assert client.post(f"{other}/{note_id}/delete", data={"csrf_token": token}).status_code == 404
    assert _note_ids(app, portfolio["calm"]) == [note_id]


def test_notes_of_an_adviser_who_left_the_school_are_no_longer_shown(app, portfolio):
    client = _client(app, portfolio["gsa"])
    _add_note(client, portfolio["calm"], TODAY, "NOTE-OF-FORMER-GSA")
    with app.app_context():
        colleague = db.session.scalar(select(User).where(User.email == portfolio["colleague"]))
        factories.assign(colleague, db.session.get(School, portfolio["calm"]))
        db.session.execute(PortfolioAssignment.__table__.delete().where(
            PortfolioAssignment.school_id == portfolio["calm"], PortfolioAssignment.user_id != colleague.id))
        db.session.commit()
    html = _client(app, portfolio["colleague"]).get(_notes_url(portfolio["calm"])).get_data(as_text=True)
    assert "NOTE-OF-FORMER-GSA" not in html and "No visit notes yet." in html


# --- cost -------------------------------------------------------------------------------------

@contextmanager
def _statements(app):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _add_schools(region, gsa, n: int) -> None:
    """``n`` schools, each in its own municipality, every third without a status row."""
    for i in range(n):
        school = factories.school(factories.municipality(region))
        if i % 3:
            _status(school, uncovered_high=i % 2, certificate_expires=TODAY + timedelta(days=i))
        factories.assign(gsa, school)


def test_the_portfolio_costs_the_same_number_of_queries_for_3_or_30_schools(app):
    with app.app_context():
        region = factories.region()
        gsa = factories.user(Role.GSA, region)
        _add_schools(region, gsa, 3)
        db.session.commit()
        region_id, gsa_id, email = region.id, gsa.id, gsa.email
    client = _client(app, email)
    client.get("/portfolio")   # warm up whatever a first request loads once
    with _statements(app) as few:
        html = client.get("/portfolio?flagged=").get_data(as_text=True)
    assert "3 of 3 schools" in html
    with app.app_context():
        _add_schools(db.session.get(Region, region_id), db.session.get(User, gsa_id), 27)
        db.session.commit()
    with _statements(app) as many:
        html = client.get("/portfolio?flagged=").get_data(as_text=True)
    assert "30 of 30 schools" in html and len(_school_names(html)) == 30
    assert len(many) == len(few), many
    assert len(few) <= 4, few
