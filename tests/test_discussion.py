"""The team's discussion: the order statements are walked in, the diverging bar, what old pre-filled
agreements mean after migration 0015, and the meeting pages in the user's language."""
from __future__ import annotations

import re

from alembic import command
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from tests import factories
from tests.conftest import csrf_token, login
from tests.test_rounds import _answer_all, _items
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.cli import alembic_config
from wellbeing.rounds import discussion, scoring
from wellbeing.rounds.discussion import WIDTH, Statement


def _statement(number: int, answers: list[int | None], agreed: bool = False) -> Statement:
    picture = scoring.item_picture(f"i{number}", answers) if answers else None
    return Statement(number, None, None, picture, object() if agreed else None)


answer_lists = st.lists(st.one_of(st.none(), st.integers(1, 4)), min_size=0, max_size=40)


@settings(max_examples=200, deadline=None)
@given(answer_lists)
def test_the_bar_puts_low_answers_left_and_high_right_in_proportion(answers):
    picture = scoring.item_picture("x", answers)
    segments = discussion.bar(picture)
    known = [a for a in answers if a is not None]
    assert sum(s.count for s in segments) == len(known)
    for s in segments:
        assert abs(s.width - s.count / len(known) * WIDTH / 2) < 1e-5
        assert (s.x + s.width <= WIDTH / 2 + 1e-5) if s.value <= 2 else (s.x >= WIDTH / 2 - 1e-5)
        assert 0 <= s.x and s.x + s.width <= WIDTH + 1e-5
    # Segments touch in value order and never overlap: 1 | 2 | middle | 3 | 4.
    ordered = sorted(segments, key=lambda s: s.x)
    assert [s.value for s in ordered] == sorted(s.value for s in segments)
    for left, right in zip(ordered, ordered[1:]):
        assert abs(left.x + left.width - right.x) < 1e-5 or (left.value <= 2 < right.value)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(answer_lists, st.booleans()), min_size=1, max_size=12), st.data())
def test_the_meeting_walks_disagreement_first_and_every_list_once(specs, data):
    statements = [_statement(n, answers, agreed) for n, (answers, agreed) in enumerate(specs, start=1)]
    ordered = discussion.disagreement_first(statements)
    assert sorted(s.number for s in ordered) == [s.number for s in statements]
    flags = [s.differs for s in ordered]
    assert flags == sorted(flags, reverse=True)
    show = data.draw(st.sampled_from(discussion.FILTERS))
    listed = discussion.listed(statements, show, "disagreement")
    assert {s.number for s in listed} == {s.number for s in statements if discussion.matches(s, show)}
    # Following "next" from the first statement of a list visits each of its statements once, in order.
    walked, current = [], listed[0] if listed else None
    while current is not None:
        walked.append(current.number)
        current = discussion.neighbours(statements, current, show)[1]
    assert walked == [s.number for s in listed]


def test_differs_and_open_filter_what_they_say():
    split, calm, agreed = _statement(1, [1, 1, 4, 4]), _statement(2, [3, 3, 3]), _statement(3, [2, 2, 2], True)
    hidden = _statement(4, [])
    everything = [split, calm, agreed, hidden]
    assert discussion.listed(everything, "differs", "checklist") == [split]
    assert discussion.listed(everything, "open", "checklist") == [split, calm, hidden]
    assert discussion.progress(everything) == (1, 3)


def test_old_prefilled_agreements_count_as_not_discussed_after_the_migration(app, ctx):
    """Rows with only a score look like the old pre-filled form: not discussed. A rationale or a
    priority shows that someone decided: still agreed. A downgrade gives all of them back."""
    from wellbeing.rounds.models import Round, RoundMode, RoundStatus

    school = factories.school()
    round_ = Round(school_id=school.id, school_year="2025-2026", instrument_id="checklist-welbevinden",
                   instrument_version=1, mode=RoundMode.INDIVIDUAL, status=RoundStatus.FINALISED)
    db.session.add(round_)
    db.session.commit()
    round_id = round_.id
    db.session.remove()  # no open transaction may hold the table while the migration alters it
    config = alembic_config()
    command.downgrade(config, "0014")
    with db.engine().begin() as connection:
        connection.execute(text(
            "INSERT INTO consensus (round_id, item_id, agreed_score, rationale, priority) VALUES "
            "(:r, 'prefilled', 3, '', 'none'), (:r, 'explained', 2, 'Besproken', 'none'), "
            "(:r, 'prioritised', 1, '', 'high'), (:r, 'empty', NULL, '', 'none')"), {"r": round_id})
    command.upgrade(config, "head")
    with db.engine().connect() as connection:
        rows = dict(connection.execute(text("SELECT item_id, discussed FROM consensus WHERE round_id = :r"),
                                      {"r": round_id}).all())
    assert {k: bool(v) for k, v in rows.items()} == {"prefilled": False, "explained": True, "prioritised": True,
                                                    "empty": False}
    from wellbeing.rounds.service import agreements

    assert set(agreements(db.session.get(Round, round_id))) == {"explained", "prioritised"}


def test_the_meeting_pages_count_in_the_users_language(app):
    with app.app_context():
        school = factories.school()
        dutch = factories.user(Role.SCHOOL_COORDINATOR, school, locale="nl")
        english = factories.user(Role.SCHOOL_COORDINATOR, school, email="en@example.org", locale="en")
        db.session.commit()
        school_id, dutch_email, english_email = school.id, dutch.email, english.email
    client = app.test_client()
    login(client, dutch_email)
    url = f"/school/{school_id}/rounds"
    opened = client.post(url, data={"school_year": "2026-2027", "mode": "individual",
                                    "csrf_token": csrf_token(client, url)})
    round_url = opened.headers["Location"]
    sheet = client.post(f"{round_url}/codes", data={"count": "3", "csrf_token": csrf_token(client, round_url)})
    for code in re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", sheet.get_data(as_text=True)):
        _answer_all(app, code, "3")
    total = len(_items(app))
    client.post(f"{round_url}/meeting/1", data={"score": "3", "action": "record",
                                                 "csrf_token": csrf_token(client, f"{round_url}/meeting/1")})
    pages = {path: client.get(f"{round_url}{path}").get_data(as_text=True)
             for path in ("", "/team", "/meeting", "/meeting/1")}
    for path, page in pages.items():
        assert f"1 van {total} stellingen afgesproken" in page, path
        assert "statements agreed" not in page and "not discussed" not in page, path
    assert "Afgesproken: 3" in pages["/meeting/1"] and "Stelling 1 van " in pages["/meeting/1"]
    assert f"{total - 1} stellingen nog niet besproken" in pages["/team"]
    assert "Versie 1 van het teambeeld, op basis van 3 teamleden." in pages["/team"]
    header = client.get(f"{round_url}/export.csv").get_data(as_text=True).lstrip("\ufeff").splitlines()[0]
    assert "Afspraak;Afgesproken score" in header

    other = app.test_client()
    login(other, english_email)
    page = other.get(f"{round_url}/meeting").get_data(as_text=True)
    assert f"1 of {total} statements agreed" in page and f"{total - 1} statements not discussed yet" in page
