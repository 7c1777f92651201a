"""The team picture moves only in releases, everywhere it is read; codes and moments link nobody.

The issue's attacks, tried as a coordinator would, through the pages and exports only."""
from __future__ import annotations

import csv
import io
import re

from sqlalchemy import func, select, text

from tests import factories
from tests.conftest import csrf_token, login
from tests.test_rounds import _answer_all, _db, _items, start
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.accounts.security import token_digest
from wellbeing.rounds import service
from wellbeing.rounds.models import Answer, Respondent, Round, RoundMode, TeamPictureRelease
from wellbeing.schoolyear import SchoolYear


def _round_with_codes(app, client, count: int):
    with app.app_context():
        school = factories.school(name="De Vergelijker")
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
        round_ = service.open_round(school, SchoolYear.parse("2026-2027"), RoundMode.INDIVIDUAL, coordinator)
        codes = service.issue_codes(round_, count)
        db.session.commit()
        round_url = f"/school/{school.id}/rounds/{round_.id}"
    login(client, coordinator.email)
    return round_url, codes


def _csv(client, round_url: str) -> list[dict]:
    response = client.get(f"{round_url}/export.csv")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))


def test_saving_the_picture_and_csv_at_3_and_4_and_subtracting_gives_nothing(app, client):
    """The issue's first attack: the fourth person's answers were the difference of two exports."""
    round_url, codes = _round_with_codes(app, client, 7)
    for code, value in zip(codes[:3], ("1", "2", "3")):
        _answer_all(app, code, value)
    at_three = _csv(client, round_url)
    _answer_all(app, codes[3], "4")
    at_four, page_four = _csv(client, round_url), client.get(f"{round_url}/team").get_data(as_text=True)
    assert at_four == at_three  # nothing to subtract
    assert "Version 1 of the picture, based on 3 team members" in page_four
    assert "1 answer set was sent after this version of the picture" in page_four
    assert "The next update needs 2 more." in page_four
    _answer_all(app, codes[4], "4")
    _answer_all(app, codes[5], "4")
    at_six = _csv(client, round_url)
    assert {r["Version of the picture"] for r in at_six} == {"2"} and {r["Respondents"] for r in at_six} == {"6"}
    # The difference between the two versions is three people's answers, never fewer.
    assert {(int(b["Answer 4"]) - int(a["Answer 4"])) for a, b in zip(at_three, at_six)} == {3}


def test_a_statement_with_one_real_answer_is_hidden_on_the_page_and_in_the_csv(app, client):
    """The issue's second attack: three sent, two left the statement open or said "don't know"."""
    round_url, codes = _round_with_codes(app, client, 3)
    first = _items(app)[0]
    for code, own in zip(codes, ("4", "dk", None)):
        member = start(app, code)
        token = csrf_token(member, "/r/answers/1")
        for item in _items(app):
            value = own if item == first else "2"
            if value is not None:
                assert member.post("/r/answers/autosave", data={"item": item, "value": value}).status_code == 200
        assert member.post("/r/answers/review", data={"csrf_token": token}).status_code == 200
    rows = {r["Statement id"]: r for r in _csv(client, round_url)}
    assert rows[first]["Shown"] == "no" and rows[first]["Answer 4"] == "" and rows[first]["Don't know"] == ""
    assert rows[_items(app)[1]]["Shown"] == "yes" and rows[_items(app)[1]]["Answer 2"] == "3"
    page = client.get(f"{round_url}/team").get_data(as_text=True)
    assert "too few answers" in page and "1 statement has too few answers to show" in page
    assert "33.3" in page  # the vision element from its shown statements only (all 2s); the lone 4 is left out


def test_finalising_with_fewer_than_three_waiting_keeps_the_picture_and_says_why(app, client):
    round_url, codes = _round_with_codes(app, client, 5)
    for code, value in zip(codes[:4], ("1", "2", "3", "4")):
        _answer_all(app, code, value)
    client.post(f"{round_url}/status", data={"action": "finalise", "csrf_token": csrf_token(client, round_url)})
    page = client.get(f"{round_url}/team").get_data(as_text=True)
    assert "Final picture, based on 3 team members" in page
    assert "1 answer set was sent after the last update and is not in the picture" in page
    assert "next update" not in page
    with app.app_context():
        release = db.session.scalar(select(TeamPictureRelease))
        assert (release.number, release.final, release.respondents) == (1, True, 3)
        from wellbeing.summaries.models import ElementSummary
        from wellbeing.summaries.refresh import refresh_all
        refresh_all()
        scores = dict(db.session.execute(select(ElementSummary.element_id, ElementSummary.score)).all())
        assert set(scores.values()) == {33.3}  # (0 + 33.3 + 66.7) / 3: the upward summary reads the release too


def test_the_printed_code_shows_nothing_of_a_colleague_who_started(app, client):
    """The issue's third attack: opening /r/<code>/... before the colleague sent showed their answers."""
    round_url, codes = _round_with_codes(app, client, 3)
    member = start(app, codes[0])
    token = csrf_token(member, "/r/answers/1")
    member.post("/r/answers/1", data={"category": "care", f"item-{_items(app)[0]}": "1", "csrf_token": token})
    for path in (f"/r/{codes[0]}", f"/r/{codes[0]}/1", f"/r/{codes[0]}/review", "/r/answers/1"):
        body = client.get(path).get_data(as_text=True)
        assert 'checked' not in body and 'value="care" selected' not in body
    taken = client.post("/r", data={"code": codes[0], "csrf_token": csrf_token(client, "/r")})
    assert taken.status_code == 400 and "cannot be used" in taken.get_data(as_text=True)


def test_invited_addresses_link_to_no_row_by_order_and_not_at_all_after_first_use(app, client, outbox):
    """The issue's fifth finding: rows followed the alphabetical order of the addresses."""
    round_url, _ = _round_with_codes(app, client, 1)
    addresses = [f"teamlid{n:02d}@school.nl" for n in range(12)]
    client.post(f"{round_url}/invite", data={"addresses": "\n".join(addresses), "csrf_token": csrf_token(
        client, round_url)})
    mails = outbox()
    code_of = {re.search(r"^To: (\S+)$", m, re.MULTILINE).group(1):
               re.search(r"/r/([A-Z0-9-]+)", m).group(1) for m in mails}
    row_of = {address: _db(app, lambda s, code=code: s.scalar(select(Respondent.id).where(
        Respondent.token_hash == token_digest(service.normalise_code(code))))) for address, code in code_of.items()}
    ids = [row_of[a] for a in sorted(addresses)]
    assert None not in ids and ids != sorted(ids)  # 1 in 12! that a random order is the sorted one
    first = sorted(addresses)[0]
    start(app, code_of[first])
    digest = token_digest(service.normalise_code(code_of[first]))
    assert _db(app, lambda s: s.scalar(select(func.count()).select_from(Respondent).where(
        Respondent.token_hash == digest))) == 0  # the code in the outbox now points at nothing


def test_the_row_that_holds_the_answers_is_made_at_first_use_not_when_the_code_was_mailed(app, client, outbox):
    """Invite one late colleague alone: their invitee row and the code's row are made together, so
    the code's row is replaced on first use and the answers land in a row made then."""
    round_url, codes = _round_with_codes(app, client, 3)
    client.post(f"{round_url}/invite", data={"addresses": "laat@school.nl", "csrf_token": csrf_token(
        client, round_url)})
    code = re.search(r"/r/([A-Z0-9-]+)", outbox()[0]).group(1)
    mailed_row = _db(app, lambda s: s.scalar(select(func.max(Respondent.id))))
    _answer_all(app, code, "2")
    rows = _db(app, lambda s: s.scalars(select(Answer.respondent_id).distinct()).all())
    assert rows == [mailed_row + 1]  # a new row, not the mailed one's (nor its id again)
    assert _db(app, lambda s: s.scalar(select(func.count()).select_from(Respondent))) == 4


def test_respondent_and_answer_moments_are_kept_to_the_day(app, client):
    _, codes = _round_with_codes(app, client, 1)
    _answer_all(app, codes[0], "3")
    moments = _db(app, lambda s: s.execute(select(Respondent.started_at, Respondent.submitted_at)).one())
    saved = _db(app, lambda s: s.scalars(select(Answer.updated_at)).all())
    assert all((m.hour, m.minute, m.second, m.microsecond) == (0, 0, 0, 0) for m in [*moments, *saved])


def test_the_migration_gives_finalised_rounds_a_final_release_they_stay_readable(app, ctx):
    from alembic import command

    from wellbeing.cli import alembic_config

    school = factories.school(name="Oude Ronde")
    db.session.commit()
    config = alembic_config()
    command.downgrade(config, "0008")
    try:
        with db.engine().begin() as connection:
            round_id = connection.execute(text(
                "INSERT INTO round (school_id, school_year, instrument_id, instrument_version, mode, status, "
                "opened_at, closed_at, finalised_at) VALUES (:s, '2023-2024', 'checklist-welbevinden', 1, "
                "'individual', 'finalised', :t, :t, :t) RETURNING id"), {"s": school.id, "t": "2024-03-15 10:00:00+00:00"}
            ).scalar()
            items = _items(app)
            for n, value in enumerate((1, 2, 3, 4)):
                respondent = connection.execute(text(
                    "INSERT INTO respondent (round_id, token_hash, started_at, submitted_at) "
                    "VALUES (:r, :h, :t, :t) RETURNING id"), {"r": round_id, "h": f"{n:064d}",
                                                               "t": "2024-03-15 10:00:00+00:00"}).scalar()
                for item in items:
                    connection.execute(text("INSERT INTO answer (respondent_id, item_id, value, updated_at) "
                                            "VALUES (:r, :i, :v, :t)"),
                                       {"r": respondent, "i": item, "v": value, "t": "2024-03-15 10:00:00+00:00"})
    finally:
        command.upgrade(config, "head")
    db.session.expire_all()
    round_ = db.session.get(Round, round_id)
    picture = service.team_picture(round_, 3)
    assert picture.shown and picture.final and picture.respondents == 4 and picture.pending == 0
    assert set(picture.element_scores.values()) == {50.0}
    assert db.session.scalar(select(func.count()).select_from(Respondent).where(Respondent.token_hash.isnot(None))) == 0
