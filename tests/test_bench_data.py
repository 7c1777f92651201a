"""The benchmark data generator at a tiny scale: deterministic, realistic, with summaries equal to
what ``refresh_school`` computes, and upward pages that render on it."""
from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select, text

from tests.conftest import empty_database, english_client, login
from wellbeing import db
from benchdata.cli import bench_data
from benchdata.data import BENCH_TOTP_SECRET, generate
from benchdata.layout import SCALES, TYPE_WEIGHTS, make_layout
from wellbeing.summaries.models import ElementSummary, PrioritySummary, RoundSummary, SchoolStatus
from wellbeing.summaries.refresh import refresh_school
from wellbeing.tenancy.models import School

PASSWORD = "bench-test-password"
TODAY = date.today()


def _generate(app, seed: int = 7, **kw):
    with app.app_context():
        return generate("tiny", seed, PASSWORD, answer_years=kw.pop("answer_years", 5), today=TODAY, **kw)


def _fingerprint(app) -> tuple[dict, str]:
    """Row counts and a checksum of content columns (ids left out: they depend on what came before)."""
    with app.app_context():
        counts = {t: db.session.scalar(text(f'SELECT count(*) FROM "{t}"'))
                  for t in ("school", "round", "respondent", "answer", "consensus", "menu_entry", "plan_action",
                            "summary_school", "summary_round", "summary_element", "summary_priority")}
        parts = [
            db.session.execute(text("SELECT brin, vestiging, name, school_type FROM school ORDER BY 1, 2")).all(),
            db.session.execute(text(
                "SELECT s.brin || s.vestiging, r.school_year, r.status, r.mode, r.opened_at FROM round r "
                "JOIN school s ON s.id = r.school_id ORDER BY 1, 2")).all(),
            db.session.execute(text("SELECT count(value), sum(value), count(*) FROM answer")).all(),
            db.session.execute(text("SELECT round(sum(score)) FROM summary_element")).all(),
            db.session.execute(text("SELECT phase, count(*) FROM summary_school GROUP BY phase ORDER BY 1")).all(),
        ]
        db.session.rollback()
    return counts, hashlib.sha256(repr(parts).encode()).hexdigest()


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(app):
    _generate(app, seed=7)
    first = _fingerprint(app)
    empty_database(app)
    _generate(app, seed=7)
    assert _fingerprint(app) == first
    empty_database(app)
    _generate(app, seed=8)
    assert _fingerprint(app)[1] != first[1]
    assert first[0]["answer"] > 10_000 and first[0]["summary_element"] > 0


def test_a_national_layout_has_dutch_numbers_and_proportions():
    layout = make_layout(SCALES["national"], 1, dict.fromkeys(("region", "municipality", "board", "school"), 0))
    assert (len(layout.regions), len(layout.municipalities), len(layout.schools)) == (25, 342, 8000)
    per_region = Counter(s.region_id for s in layout.schools)
    assert max(per_region.values()) == 650 and min(per_region.values()) > 50
    assert max(Counter(m.region_id for m in layout.municipalities).values()) == 30
    assert {m.id for m in layout.municipalities} == {s.municipality_id for s in layout.schools}
    types = Counter(s.school_type for s in layout.schools)
    for school_type, weight in TYPE_WEIGHTS.items():
        assert types[school_type] / 8000 == pytest.approx(weight / sum(TYPE_WEIGHTS.values()), abs=0.005)
    assert len({s.key for s in layout.schools}) == 8000
    assert len({m.code for m in layout.municipalities}) == 342


def test_generated_rounds_look_like_real_teams(app):
    _generate(app)
    with app.app_context():
        rows = db.session.execute(text(
            "SELECT s.school_type, r.status, r.school_year, count(p.id) FROM round r JOIN school s ON s.id = r.school_id "
            "JOIN respondent p ON p.round_id = r.id WHERE r.mode = 'individual' "
            "GROUP BY s.school_type, r.id, r.status, r.school_year")).all()
        dont_know = db.session.scalar(text("SELECT avg(CASE WHEN value IS NULL THEN 1.0 ELSE 0.0 END) FROM answer"))
        years = db.session.scalars(text("SELECT DISTINCT school_year FROM round ORDER BY 1")).all()
        db.session.rollback()
    teams = {t: [n for st, _, _, n in rows if st == t] for t in ("po", "vo")}
    assert sum(teams["vo"]) / len(teams["vo"]) > 2 * sum(teams["po"]) / len(teams["po"])  # vo teams are larger
    statuses = Counter((status, year == years[-1]) for _, status, year, _ in rows)
    assert statuses[("finalised", False)] > 10 * statuses[("closed", False)]  # earlier years: mostly finalised
    assert statuses[("open", True)] > 0 and statuses[("open", False)] == 0      # only this year is open
    assert len(years) == 5
    assert 0.02 < float(dont_know) < 0.12


def _summary_rows(school_id: int) -> tuple:
    status = db.session.get(SchoolStatus, school_id)
    status_values = {c.name: getattr(status, c.name) for c in SchoolStatus.__table__.columns
                     if c.name != "refreshed_at"}
    rounds = set(db.session.execute(select(RoundSummary.round_id, RoundSummary.region_id, RoundSummary.municipality_id,
                                           RoundSummary.school_type, RoundSummary.school_year, RoundSummary.scored)
                                    .where(RoundSummary.school_id == school_id)).all())
    round_ids = [r[0] for r in rounds]
    elements = set(db.session.execute(select(ElementSummary.round_id, ElementSummary.element_id, ElementSummary.score)
                                      .where(ElementSummary.round_id.in_(round_ids))).all())
    priorities = set(db.session.execute(select(PrioritySummary.round_id, PrioritySummary.item_id)
                                        .where(PrioritySummary.round_id.in_(round_ids))).all())
    return status_values, rounds, elements, priorities


def test_bulk_summaries_equal_what_refresh_school_computes(app):
    _generate(app)
    with app.app_context():
        schools = db.session.scalars(select(School).order_by(School.id)).all()
        phases = Counter()
        for school in schools:
            bulk = _summary_rows(school.id)
            refresh_school(school, TODAY)
            db.session.expire_all()
            assert _summary_rows(school.id) == bulk, school.code
            phases[bulk[0]["phase"]] += 1
        assert len(phases) >= 3  # the sample covers schools in several phases
        db.session.rollback()


def test_the_command_prints_phases_and_logins_and_refuses_a_second_load(app):
    runner = app.test_cli_runner()
    output = runner.invoke(bench_data, ["--scale", "tiny", "--seed", "3", "--password", PASSWORD]).output
    assert "tenancy and logins" in output and "write answers" in output
    assert "gemeente@bench.welbevinden.nl" in output and "municipality_officer" in output
    again = runner.invoke(bench_data, ["--scale", "tiny", "--password", PASSWORD])
    assert again.exit_code != 0 and "present already" in again.output
    national = runner.invoke(bench_data, ["--scale", "national", "--password", "short"])
    assert national.exit_code != 0  # a password that is too short is refused before anything is written


def test_the_upward_pages_render_for_the_generated_data(app):
    _generate(app, answer_years=2)
    with app.app_context():
        region_id, municipality_id, region_name, municipality_name = db.session.execute(text(
            "SELECT m.region_id, m.id, r.name, m.name FROM membership b JOIN municipality m ON m.id = b.municipality_id "
            "JOIN region r ON r.id = m.region_id WHERE b.role = 'municipality_officer'")).one()
        schools = db.session.scalar(select(func.count()).select_from(School)
                                    .join(School.municipality).where(School.municipality_id == municipality_id))
        db.session.rollback()
    pages = [("gemeente@bench.welbevinden.nl", f"/municipality/{municipality_id}", municipality_name),
             ("ggd@bench.welbevinden.nl", f"/region/{region_id}/overview", region_name),
             ("gsa@bench.welbevinden.nl", "/portfolio", "<table")]
    for email, url, expected in pages:
        client = english_client(app)
        assert login(client, email, PASSWORD, BENCH_TOTP_SECRET).status_code == 302
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert expected in page and "<svg" in page or url == "/portfolio", url
    assert schools >= 5
    admin = english_client(app)
    login(admin, "platform@bench.welbevinden.nl", PASSWORD, BENCH_TOTP_SECRET)
    national = admin.get("/overview/national")
    assert national.status_code in (200, 404)  # the national page is being added (issue 6)
