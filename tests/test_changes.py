"""One way for a change to travel (wellbeing/changes.py): whatever writes a school's data — a form
on any page, the CLI, a service — leaves that school's summaries fresh once it has committed, and no
view remembers it by hand. The forms are found on the pages themselves, so a new page that writes
school data is walked without changing this test.
"""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from tests import factories
from tests.conftest import csrf_token, english_client, login
from tests.test_input_gate import SKIP, _forms, _urls, world  # noqa: F401 - the world fixture
from wellbeing import changes, db, jobs
from wellbeing.accounts.models import Role
from wellbeing.cli import main
from wellbeing.models import Base
from wellbeing.summaries.models import ElementSummary, PrioritySummary, RoundSummary, SchoolStatus
from wellbeing.summaries import refresh
from wellbeing.summaries.refresh import refresh_school
from wellbeing.tenancy.models import School

#: Tables with a school (or round) column that hold no school data the summaries read.
NOT_SCHOOL_DATA = {
    "membership", "portfolio_assignment", "report", "visit_note", "team_picture_release", "answer",
    "summary_school", "summary_round", "summary_element", "summary_priority",
}
#: Would end the walk's own login, or remove the user or data the walk stands on.
WALK_SKIP = SKIP | {"accounts.delete_account", "admin.remove_user"}


def _summaries(school_id: int) -> dict:
    """What the upward pages would read about the school, without the moment it was computed."""
    status = db.session.get(SchoolStatus, school_id)
    row = None if status is None else {c.key: getattr(status, c.key) for c in sa_inspect(SchoolStatus).columns
                                       if c.key != "refreshed_at"}
    rounds = sorted((r.round_id, r.school_year, r.scored, r.municipality_id, r.school_type) for r in db.session.scalars(
        select(RoundSummary).where(RoundSummary.school_id == school_id)))
    round_ids = [r[0] for r in rounds]
    elements = sorted((e.round_id, e.element_id, e.score) for e in db.session.scalars(
        select(ElementSummary).where(ElementSummary.round_id.in_(round_ids))))
    priorities = sorted((p.round_id, p.item_id) for p in db.session.scalars(
        select(PrioritySummary).where(PrioritySummary.round_id.in_(round_ids))))
    return {"status": row, "rounds": rounds, "elements": elements, "priorities": priorities}


def stale_schools() -> list[int]:
    """Schools whose stored summaries differ from what a refresh would compute now."""
    stale = []
    db.session.rollback()
    for school in db.session.scalars(select(School).order_by(School.id)).all():
        stored = _summaries(school.id)
        with changes.unobserved():
            nested = db.session.begin_nested()
            refresh_school(school, full=True)
            fresh = _summaries(school.id)
            nested.rollback()
        if stored != fresh:
            stale.append(school.id)
    db.session.rollback()
    return stale


def _refresh_all() -> None:
    with changes.unobserved():
        for school in db.session.scalars(select(School)).all():
            refresh_school(school)
        db.session.commit()


def _fill(name: str, value: str) -> str:
    """A plausible value for a field the page leaves empty (a person would type one)."""
    if value:
        return value
    lowered = name.lower()
    for part, typed in (("date", "2026-01-15"), ("_on", "2026-01-15"), ("email", "nieuw@example.org"),
                        ("addresses", "lid@example.org"), ("brin", "99ZZ"), ("vestiging", "07"),
                        ("year", "2025-2026"), ("count", "2"), ("number", "2"), ("code", "GM9999")):
        if part in lowered:
            return typed
    return "Test"


def test_no_view_schedules_a_summary_refresh(app):
    """Views change rows and commit; the refresh follows from the commit, not from the view."""
    modules = {inspect.getmodule(app.view_functions[rule.endpoint]) for rule in app.url_map.iter_rules()}
    offenders = []
    for module in modules:
        tree = ast.parse(Path(module.__file__).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("wellbeing.summaries") and (
                    node.module.endswith("refresh") or any(alias.name == "refresh" for alias in node.names)):
                offenders.append(f"{module.__name__} imports {node.module}")
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("schedule", "enqueue_once"):
                offenders.append(f"{module.__name__}:{node.lineno} calls {ast.unparse(node.func)}")
    assert not offenders, "\n".join(offenders)


def test_every_table_with_a_school_is_school_data_or_named_as_not(app):
    """A new model that holds a school's data must say so (db.SchoolData), or its writes go unnoticed."""
    unmarked = []
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        if not ({"school_id", "round_id"} & set(table.columns.keys()) or mapper.class_ is School):
            continue
        if not issubclass(mapper.class_, db.SchoolData) and table.name not in NOT_SCHOOL_DATA:
            unmarked.append(table.name)
    assert not unmarked, f"mark these models db.SchoolData or add them to NOT_SCHOOL_DATA: {unmarked}"


def test_a_change_marks_its_school_once_and_a_rollback_forgets_it(app):
    seen: list[set[int]] = []
    changes.on_change(seen.append)
    try:
        with app.app_context():
            school, other = factories.school(), factories.school()
            db.session.commit()
            assert seen[-1] == {school.id, other.id}
            school.name, other.name = "Renamed", "Renamed too"
            db.session.rollback()
            db.session.commit()
            assert len(seen) == 1, "a rolled-back change scheduled a refresh"
            school = db.session.get(School, school.id)
            school.name = "Renamed"
            db.session.flush()
            school.name = "Renamed again"
            db.session.commit()
            assert seen[-1] == {school.id} and len(seen) == 2
            changes.changed(other.id)  # a write the session cannot see (a bulk statement)
            db.session.commit()
            assert seen[-1] == {other.id}
    finally:
        changes.HOOKS.remove(seen.append)


def test_a_school_added_by_the_region_admin_is_in_the_summaries_at_once(app):
    with app.app_context():
        region = factories.region()
        municipality = factories.municipality(region)
        admin = factories.user(Role.REGION_ADMIN, region)
        db.session.commit()
        region_id, municipality_id, email = region.id, municipality.id, admin.email
    client = english_client(app)
    assert login(client, email).status_code == 302
    token = csrf_token(client, f"/admin/regions/{region_id}")
    response = client.post(f"/admin/regions/{region_id}/schools", data={
        "csrf_token": token, "school-brin": "99ZZ", "school-vestiging": "00", "school-name": "De Nieuwe School",
        "school-school_type": "po", "school-municipality_id": str(municipality_id)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        school = db.session.scalar(select(School).where(School.brin == "99ZZ"))
        status = db.session.get(SchoolStatus, school.id)
        assert status is not None and status.municipality_id == municipality_id
        assert stale_schools() == []


@pytest.mark.parametrize("count", [1, refresh.BULK + refresh.BATCH + 1])
def test_schools_imported_from_the_cli_are_in_the_summaries_at_once(app, tmp_path, monkeypatch, count):
    """One school or a bulk import: every school has its summaries after the command; a bulk import
    makes a job per batch of schools, not one per school."""
    with app.app_context():
        factories.region(code="R77")
        db.session.commit()
    made: list[str] = []
    real = jobs.enqueue  # enqueue_once goes through it too
    monkeypatch.setattr(jobs, "enqueue", lambda func, *args, **kw: made.append(func.job_name) or real(func, *args, **kw))
    path = tmp_path / "schools.csv"
    path.write_text("BRIN;vestigingsnummer;naam;type;gemeentecode;gemeentenaam\n" + "".join(
        f"{88 + n // 100:02d}Y{chr(65 + n % 26)};{n % 100:02d};De Import {n};po;GM0344;Utrecht\n" for n in range(count)),
        encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["import-schools", str(path), "--region", "R77"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        schools = db.session.scalars(select(School).where(School.name.like("De Import %"))).all()
        assert len(schools) == count
        assert all(db.session.get(SchoolStatus, school.id) is not None for school in schools)
        assert stale_schools() == []
    assert len(made) == (1 if count == 1 else 2), made


@pytest.mark.parametrize("who", ["school_coordinator", "region_admin", "gsa"])
def test_every_form_that_writes_school_data_leaves_the_summaries_fresh(app, world, who):  # noqa: F811
    emails, ids = world
    with app.app_context():
        _refresh_all()
    client = english_client(app)
    assert login(client, emails[who]).status_code == 302
    token = csrf_token(client, "/profile")
    forms = []
    for endpoint, methods, real, _huge in _urls(app, ids):
        if endpoint in WALK_SKIP or "GET" not in methods:
            continue
        page = client.get(real)
        if page.status_code == 200 and page.mimetype == "text/html":
            forms += [(real, f) for f in _forms(page.get_data(as_text=True)) if f["method"] == "POST"]
    accepted, stale, seen = 0, [], set()
    for page_url, form in forms:
        action = form["action"] or page_url
        if (action, tuple(sorted(form["fields"]))) in seen or any(
                part in action for part in ("/logout", "/sessions/end", "/end-all", "/delete", "/reset", "/second-factor")):
            continue
        seen.add((action, tuple(sorted(form["fields"]))))
        data = {name: _fill(name, value) for name, value in form["fields"].items()} | {"csrf_token": token}
        response = client.post(action, data=data)
        accepted += response.status_code in (200, 302)
        with app.app_context():
            found = stale_schools()
            if found:
                stale.append(f"POST {action} {sorted(data)[:8]} left school(s) {found} stale")
                _refresh_all()  # so the next form is judged on its own
    assert forms and accepted, "no form was accepted: the walk is blind"
    assert not stale, "\n".join(stale)
