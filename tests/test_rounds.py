"""Team rounds: scoring, the anonymity threshold, single-use codes, concurrency and bad input."""
from __future__ import annotations

import csv
import io
import re
import threading

import psycopg
import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import csrf_token, english_client, login
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.rounds import scoring
from wellbeing.rounds.models import Answer, Consensus, Respondent, Round

# --- scoring -----------------------------------------------------------------------------------

def test_element_score_rescales_the_mean_to_0_100_and_ignores_dont_know():
    assert scoring.element_score([1, 1]) == 0
    assert scoring.element_score([4, 4, None]) == 100
    assert scoring.element_score([1, 4]) == 50
    assert scoring.element_score([2, 3, 3]) == pytest.approx(55.6, abs=0.05)
    assert scoring.element_score([None, None]) is None


def test_item_picture_counts_median_spread_and_flags_disagreement():
    split = scoring.item_picture("x", [1, 1, 4, 4, None])
    assert split.counts == {1: 2, 2: 0, 3: 0, 4: 2} and split.dont_know == 1
    assert split.median == 2.5 and split.disagreement
    agreed = scoring.item_picture("y", [3, 3, 3, 4, 3])
    assert agreed.median == 3 and agreed.spread == 0.5 and not agreed.disagreement
    wide = scoring.item_picture("z", [1, 2, 2, 3, 4, 4])  # hinges 2 and 4; not polarised (one answer of 1)
    assert wide.spread == 2 and wide.disagreement
    close = scoring.item_picture("w", [2, 2, 3, 3, 3, 2])
    assert close.spread == 1 and not close.disagreement


def test_the_threshold_is_never_below_three():
    assert not scoring.enough(2, 1)
    assert scoring.enough(3, 1) and not scoring.enough(4, 5)


# --- a round in the browser's shoes ------------------------------------------------------------

@pytest.fixture
def coordinator_round(app, client):
    """An open individual round with five codes. No app context stays pushed: each client request
    must get its own, as in a real server, or one client's login would leak into another's."""
    with app.app_context():
        school = factories.school(name="De Notenkraker")
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
        db.session.commit()
    login(client, coordinator.email)
    url = f"/school/{school.id}/rounds"
    token = csrf_token(client, url)
    opened = client.post(url, data={"school_year": "2026-2027", "mode": "individual", "csrf_token": token})
    assert opened.status_code == 302, opened.get_data(as_text=True)
    round_url = opened.headers["Location"]
    sheet = client.post(f"{round_url}/codes", data={"count": "5", "csrf_token": csrf_token(client, round_url)})
    codes = re.findall(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", sheet.get_data(as_text=True))
    assert len(codes) == 5
    return school, round_url, codes


def _db(app, func):
    with app.app_context():
        return func(db.session)


def _items(app, school_type="po"):
    checklist = app.extensions["wellbeing.instruments"].get("checklist-welbevinden", 1)
    return [i.id for e in checklist.elements_for(school_type) for i in e.items_for(school_type)]


def start(app, code: str):
    """A team member's browser after entering ``code``: bound to the answers, the code spent."""
    member = english_client(app)
    entered = member.post("/r", data={"code": code, "csrf_token": csrf_token(member, "/r")})
    assert entered.status_code == 302 and entered.headers["Location"].endswith("/r/answers/1"), entered.status_code
    return member


def _answer_all(app, code: str, value: str, category: str | None = None) -> None:
    client = start(app, code)
    token = csrf_token(client, "/r/answers/1")
    if category:
        client.post("/r/answers/1", data={"category": category, "csrf_token": token})
    for item_id in _items(app):
        response = client.post("/r/answers/autosave", data={"item": item_id, "value": value})
        assert response.status_code == 200, re.sub(r"\s+", " ", response.get_data(as_text=True))[-900:]
    assert client.post("/r/answers/review", data={"csrf_token": token}).status_code == 200


def test_codes_are_stored_only_hashed(app, coordinator_round):
    _, _, codes = coordinator_round
    hashes = _db(app, lambda s: s.scalars(select(Respondent.token_hash)).all())
    assert len(hashes) == 5 and not any(code in h or code.replace("-", "") in h for code in codes for h in hashes)


def test_nothing_is_shown_with_two_respondents_and_the_picture_appears_at_three(app, coordinator_round, client):
    _, round_url, codes = coordinator_round
    _answer_all(app, codes[0], "1")
    _answer_all(app, codes[1], "4")
    page = client.get(f"{round_url}/team").get_data(as_text=True)
    assert "Not enough answers yet" in page and "So far: 2" in page
    assert "Score per element" not in page and "Median" not in page
    _answer_all(app, codes[2], "4")
    page = client.get(f"{round_url}/team").get_data(as_text=True)
    assert "Version 1 of the picture, based on 3 team members" in page
    assert "66.7" in page  # (0 + 100 + 100) / 3 for every element
    assert "The team differs here" in page


def _neutral(response) -> tuple[int, str]:
    """A response as a comparison sees it: status and text, without the per-session CSRF token."""
    body = re.sub(r'name="csrf_token"[^>]*value="[^"]+"|value="[^"]+"[^>]*name="csrf_token"', "", response.get_data(
        as_text=True))
    return response.status_code, re.sub(r'value="[A-Z0-9-]*"', "", body)


def test_a_spent_a_sent_an_unknown_and_a_closed_rounds_code_get_the_same_neutral_answer(app, coordinator_round,
                                                                                         client):
    """Whoever holds the code sheet cannot tell from the answer which colleague started or sent."""
    _, round_url, codes = coordinator_round
    _answer_all(app, codes[0], "3")                     # sent
    start(app, codes[1])                                # started in another browser, not sent
    other = english_client(app)

    def enter(code: str):
        return other.post("/r", data={"code": code, "csrf_token": csrf_token(other, "/r")})

    answers = {name: enter(code) for name, code in (("sent", codes[0]), ("spent", codes[1]),
                                                    ("unknown", "ZZZZZ-ZZZZZ"))}
    client.post(f"{round_url}/status", data={"action": "close", "csrf_token": csrf_token(client, round_url)})
    answers["closed round, never used"] = enter(codes[2])
    seen = {name: _neutral(r) for name, r in answers.items()}
    assert len(set(seen.values())) == 1, {k: v[0] for k, v in seen.items()}
    status, body = seen["sent"]
    assert status == 400 and "This code cannot be used" in body
    # A mailed link looks the same whatever its code: opening it uses nothing.
    links = {_neutral(other.get(f"/r/{code}"))[0] for code in (codes[0], codes[3], "ZZZZZ-ZZZZZ")}
    assert links == {200}
    # Only the browser holding the answers hears that the round closed.
    assert other.get("/r/answers/1").status_code == 404


def test_a_returning_respondent_is_offered_the_part_where_they_stopped(app, coordinator_round):
    _, _, codes = coordinator_round
    member = start(app, codes[0])
    first_part = [i for i in _items(app) if i.startswith("vision.")]
    for item in first_part:
        assert member.post("/r/answers/autosave", data={"item": item, "value": "3"}).status_code == 200
    entry = member.get("/r").get_data(as_text=True)
    assert "Continue where you stopped" in entry and 'href="/r/answers/2"' in entry
    assert "Continue where you stopped" not in english_client(app).get("/r").get_data(as_text=True)


def test_one_code_entered_in_two_browsers_at_once_binds_exactly_one(app, coordinator_round):
    _, _, codes = coordinator_round
    statuses = []
    browsers = [english_client(app) for _ in range(2)]
    tokens = [csrf_token(b, "/r") for b in browsers]
    barrier = threading.Barrier(2)

    def enter(browser, token) -> None:
        barrier.wait()
        statuses.append(browser.post("/r", data={"code": codes[0], "csrf_token": token}).status_code)

    threads = [threading.Thread(target=enter, args=pair) for pair in zip(browsers, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [302, 400]
    assert _db(app, lambda s: s.scalar(select(func.count()).select_from(Respondent))) == 5


def test_bad_answers_get_a_clear_error_and_valid_ones_on_the_page_are_kept(app, coordinator_round):
    _, _, codes = coordinator_round
    client = start(app, codes[0])
    token = csrf_token(client, "/r/answers/1")
    first, second = _items(app)[:2]
    for data in ({"item": first, "value": "7"}, {"item": "no.such-item", "value": "2"}, {"item": first, "value": ""}):
        response = client.post("/r/answers/autosave", data=data)
        assert response.status_code == 400 and "could not be saved" in response.get_json()["error"]
    page = client.post("/r/answers/1", data={f"item-{first}": "9", f"item-{second}": "3", "csrf_token": token})
    assert page.status_code == 400 and "Choose one of the answers." in page.get_data(as_text=True)
    assert _db(app, lambda s: s.execute(select(Answer.item_id, Answer.value)).all()) == [(second, 3)]
    assert english_client(app).get("/r/answers/1").status_code == 404


def test_one_respondent_in_two_tabs_and_two_respondents_at_once_lose_and_duplicate_nothing(app, coordinator_round):
    from wellbeing.rounds.respond import COOKIE

    _, _, codes = coordinator_round
    items = _items(app)[:6]
    errors = []
    secrets_ = {code: start(app, code).get_cookie(COOKIE, path="/r").value for code in codes[:2]}

    def save(code: str, value: str) -> None:
        client = english_client(app)
        client.set_cookie(COOKIE, secrets_[code], path="/r")  # a second tab shares the browser's cookie
        barrier.wait()
        for item_id in items:
            response = client.post("/r/answers/autosave", data={"item": item_id, "value": value})
            if response.status_code != 200:
                errors.append(response.status_code)

    barrier = threading.Barrier(4)
    threads = [threading.Thread(target=save, args=args)
               for args in ((codes[0], "2"), (codes[0], "3"), (codes[1], "4"), (codes[1], "4"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    rows = _db(app, lambda s: s.execute(select(Respondent.id, func.count(Answer.id)).join(Answer)
                                        .group_by(Respondent.id)).all())
    assert sorted(count for _, count in rows) == [6, 6]
    assert set(_db(app, lambda s: s.scalars(select(Answer.value)).all())) <= {2, 3, 4}


def test_nothing_is_agreed_until_recorded_per_statement_validated_and_locked_by_finalising(
        app, coordinator_round, client):
    _, round_url, codes = coordinator_round
    for code, value in zip(codes[:3], ("2", "3", "3")):
        _answer_all(app, code, value)
    items = _items(app)
    page = client.get(f"{round_url}/team").get_data(as_text=True)
    # No pre-filled medians: every statement starts "not discussed", and nothing is in the database.
    assert page.count("Not discussed") == len(items) and "Agreed:" not in page
    assert "<select" not in page.split("discussion-filter")[0] and 'method="post"' not in page.split("<main")[1]
    assert _db(app, lambda s: s.scalar(select(func.count(Consensus.id)))) == 0
    second = f"{round_url}/meeting/2"
    token = csrf_token(client, second)
    for bad in ({"score": "9"}, {"score": ""}, {"score": "2", "priority": "urgent"}):
        refused = client.post(second, data={**bad, "action": "record", "csrf_token": token})
        assert refused.status_code == 400, bad
    assert "Choose the score the team agreed on" in client.post(
        second, data={"action": "record", "csrf_token": token}).get_data(as_text=True)
    assert client.post(f"{round_url}/meeting/{len(items) + 1}", data={"csrf_token": token}).status_code == 404
    saved = client.post(second, data={"score": "2", "priority": "high", "rationale": "Pestprotocol ontbreekt",
                                      "action": "record", "csrf_token": token})
    assert saved.status_code == 302
    row = _db(app, lambda s: s.execute(select(Consensus.item_id, Consensus.agreed_score, Consensus.priority,
                                              Consensus.rationale)).one())
    assert (row[0], row[1], row[2].value, row[3]) == (items[1], 2, "high", "Pestprotocol ontbreekt")
    page = client.get(f"{round_url}/team").get_data(as_text=True)
    assert page.count("Not discussed") == len(items) - 1 and page.count("Agreed: 2") == 1
    assert f"1 of {len(items)} statements agreed" in page
    # Put back and record again: "not discussed" is a real state, not a blank score.
    client.post(second, data={"action": "forget", "csrf_token": token})
    assert _db(app, lambda s: s.scalar(select(func.count(Consensus.id)))) == 0
    client.post(second, data={"score": "3", "action": "record", "csrf_token": token})

    client.post(f"{round_url}/status", data={"action": "finalise", "csrf_token": token})
    assert _db(app, lambda s: s.scalar(select(Round.status))).value == "finalised"
    client.post(second, data={"score": "4", "action": "record", "csrf_token": token})
    client.post(f"{round_url}/meeting/3", data={"score": "4", "action": "record", "csrf_token": token})
    assert _db(app, lambda s: s.execute(select(Consensus.item_id, Consensus.agreed_score)).all()) == [(items[1], 3)]
    exported = client.get(f"{round_url}/export.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported), delimiter=";"))
    assert [(r["Agreement"], r["Agreed score"]) for r in rows] == (
        [("not discussed", ""), ("agreed", "3")] + [("not discussed", "")] * (len(items) - 2))
    late = english_client(app)
    refused = late.post("/r", data={"code": codes[3], "csrf_token": csrf_token(late, "/r")})
    assert refused.status_code == 400 and "cannot be used" in refused.get_data(as_text=True)


def test_over_the_years_shows_team_and_agreed_scores_per_element_beside_earlier_rounds(app, client):
    from wellbeing.rounds import service
    from wellbeing.rounds.models import Priority, RoundMode, RoundStatus
    from wellbeing.schoolyear import SchoolYear

    with app.app_context():
        school = factories.school(name="De Meerjarenschool")
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
        items = _items(app)
        vision = [i for i in items if i.startswith("vision.")]
        for year, value in (("2023-2024", 4), ("2024-2025", 1)):
            round_ = service.open_round(school, SchoolYear.parse(year), RoundMode.INDIVIDUAL, coordinator)
            service.issue_codes(round_, 3)
            db.session.flush()
            for respondent in db.session.scalars(select(Respondent).where(Respondent.round_id == round_.id)):
                for item_id in items:
                    service.save_answer(respondent, item_id, value)
                respondent.submitted_at = respondent.started_at
            for item_id in vision:
                service.save_consensus(round_, item_id, 3, "", Priority.NONE)
            service.set_status(round_, RoundStatus.FINALISED, coordinator)
        db.session.commit()
    login(client, coordinator.email)
    page = client.get(f"/school/{school.id}/rounds").get_data(as_text=True)
    row = re.search(r'<th scope="row">Vision and policy</th>(.*?)</tr>', page, re.DOTALL)
    assert "2023-2024" in page and "2024-2025" in page
    assert row is not None, page
    cells = re.findall(r'<td class="num">([^<]*)</td>', row.group(1))
    assert cells == ["100.0 (66.7)", "0.0 (66.7)"]


def test_email_invitations_give_personal_links_and_reminders_go_to_the_whole_list(app, coordinator_round, client,
                                                                                    outbox):
    _, round_url, _ = coordinator_round
    token = csrf_token(client, round_url)
    bad = client.post(f"{round_url}/invite", data={"addresses": "a@school.nl\nnot-an-address\nb@school.nl",
                                                    "csrf_token": token})
    body = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "not-an-address" in body and "Nothing was sent" in body
    assert "a@school.nl" in body and outbox() == []  # what was typed is kept
    sent = client.post(f"{round_url}/invite", data={"addresses": "a@school.nl, b@school.nl; C@school.nl",
                                                     "csrf_token": token}, follow_redirects=True)
    assert "3 invitations sent" in sent.get_data(as_text=True)
    mails = outbox()
    links = {re.search(r"http://testserver(/r/\S+)", m).group(1) for m in mails}
    assert len(mails) == 3 and len(links) == 3
    assert english_client(app).get(links.pop()).status_code == 200
    # Mails go out in address order; the codes in them were made in another, random order.
    assert [re.search(r"^To: (\S+)$", m, re.MULTILINE).group(1) for m in mails] == [
        "a@school.nl", "b@school.nl", "c@school.nl"]
    again = client.post(f"{round_url}/invite", data={"addresses": "a@school.nl", "csrf_token": token},
                        follow_redirects=True)
    assert "0 invitations sent" in again.get_data(as_text=True)
    client.post(f"{round_url}/remind", data={"csrf_token": token})
    reminders = outbox()[3:]
    assert sorted(re.search(r"^To: (\S+)$", m, re.MULTILINE).group(1) for m in reminders) == [
        "a@school.nl", "b@school.nl", "c@school.nl"]
    assert all("/r/" not in m for m in reminders)


def test_a_team_meeting_round_has_exactly_one_code_and_shows_its_one_answer_set(app, client):
    with app.app_context():
        school = factories.school()
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
        db.session.commit()
    login(client, coordinator.email)
    url = f"/school/{school.id}/rounds"
    opened = client.post(url, data={"school_year": "2026-2027", "mode": "meeting", "csrf_token": csrf_token(client, url)})
    round_url = opened.headers["Location"]
    token = csrf_token(client, round_url)
    too_many = client.post(f"{round_url}/codes", data={"count": "2", "csrf_token": token})
    assert too_many.status_code == 400 and "exactly one code" in too_many.get_data(as_text=True)
    sheet = client.post(f"{round_url}/codes", data={"count": "1", "csrf_token": token}).get_data(as_text=True)
    code = re.search(r"<code>([A-Z0-9]{5}-[A-Z0-9]{5})</code>", sheet).group(1)
    assert client.post(f"{round_url}/codes", data={"count": "1", "csrf_token": token}).status_code == 400
    _answer_all(app, code, "3")
    page = client.get(f"{round_url}/team").get_data(as_text=True)
    assert "based on 1 team member." in page and "66.7" in page


@pytest.mark.parametrize("total, groups, expected", [
    (9, {"teacher": 5, "support": 3}, {"teacher": 5}),      # rest of 1 would be exposed: drop support
    (8, {"teacher": 5, "support": 3}, {"teacher": 5, "support": 3}),  # nobody left over
    (7, {"teacher": 5}, {}),                                  # the other 2 would be exposed
    (10, {"teacher": 4, "support": 2, "care": 1}, {"teacher": 4}),
    (6, {"teacher": 3, "care": 3}, {"teacher": 3, "care": 3}),
])
def test_role_groups_are_shown_only_when_no_difference_singles_anyone_out(total, groups, expected):
    assert scoring.shown_groups(total, groups, 3) == expected


def test_role_groups_never_allow_deriving_fewer_than_three_answers(app, coordinator_round, client):
    """Five sent, teachers four: "team minus teachers" would be one person, so no group is shown,
    and a version of the picture holds only steps of at least three people."""
    _, round_url, codes = coordinator_round
    for index, code in enumerate(codes[:3]):
        _answer_all(app, code, "2", category="teacher")
    page = client.get(f"{round_url}/team").get_data(as_text=True)
    assert "Version 1 of the picture, based on 3 team members" in page and "Show only:" not in page
    for code, category in ((codes[3], "teacher"), (codes[4], "support")):
        _answer_all(app, code, "2", category=category)
    page = client.get(f"{round_url}/team").get_data(as_text=True)
    assert "Version 1 of the picture, based on 3 team members" in page and "Show only:" not in page
    assert "2 answer sets were sent after this version" in page and "The next update needs 1 more." in page
    forced = client.get(f"{round_url}/team?category=teacher").get_data(as_text=True)
    assert "This group is not shown" in forced and "Median" not in forced


def test_csv_export_holds_aggregates_only_above_the_threshold_and_the_agreed_scores(app, coordinator_round, client):
    import csv
    import io

    _, round_url, codes = coordinator_round
    _answer_all(app, codes[0], "1")
    _answer_all(app, codes[1], "4")

    def rows():
        response = client.get(f"{round_url}/export.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
        return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))

    below = rows()
    assert len(below) == len(_items(app))
    assert all(r["Answer 1"] == "" and r["Median"] == "" and r["Respondents"] == "" for r in below)
    _answer_all(app, codes[2], "4")
    above = rows()
    assert {(r["Answer 1"], r["Answer 4"], r["Median"], r["The team differs"]) for r in above} == {("1", "2", "4", "yes")}


def test_autosave_needs_the_browser_the_code_was_first_used_in(app, coordinator_round):
    """Autosave takes no CSRF token: its credential is the bound browser's SameSite=Strict cookie. A
    request without it (as a forged cross-site one, or one naming the code in the URL) saves nothing."""
    _, _, codes = coordinator_round
    stranger = app.test_client()  # no session, no cookie, no token: as a forged cross-site request
    item = _items(app)[0]
    assert stranger.post("/r/answers/autosave", data={"item": item, "value": "4"}).status_code == 409
    assert stranger.post(f"/r/{codes[0]}/autosave", data={"item": item, "value": "4"}).status_code in (404, 405)
    member = start(app, codes[0])
    assert member.post("/r/answers/autosave", data={"item": item, "value": "4"}).status_code == 200
    assert _db(app, lambda s: s.scalar(select(func.count()).select_from(Answer))) == 1


def test_a_remembered_browser_cannot_save_after_sending_moving_or_after_the_round_closes(app, coordinator_round,
                                                                                         client):
    """Autosave remembers what a browser leads to, but never whether it may still save: the save
    itself checks the round, the submission and the binding in the same statement."""
    from wellbeing.rounds.respond import COOKIE

    _, round_url, codes = coordinator_round
    first, second = _items(app)[:2]
    sender, mover, closer = start(app, codes[0]), start(app, codes[1]), start(app, codes[2])
    for member in (sender, mover, closer):
        assert member.post("/r/answers/autosave", data={"item": first, "value": "2"}).status_code == 200
    kept = sender.get_cookie(COOKIE, path="/r").value
    assert sender.post("/r/answers/review", data={"csrf_token": csrf_token(sender, "/r/answers/review")}
                       ).status_code == 200
    sender.set_cookie(COOKIE, kept, path="/r")  # even a browser that kept its cookie after sending
    assert sender.post("/r/answers/autosave", data={"item": first, "value": "4"}).status_code == 409

    resumed = mover.post("/r/answers/resume-code", data={"csrf_token": csrf_token(mover, "/r/answers/1")})
    code = re.search(r'class="resume-code">([A-Z0-9-]+)<', resumed.get_data(as_text=True)).group(1)
    elsewhere = start(app, code)
    assert mover.post("/r/answers/autosave", data={"item": second, "value": "4"}).status_code == 409
    assert mover.get("/r/answers/1").status_code == 404
    assert elsewhere.post("/r/answers/autosave", data={"item": second, "value": "3"}).status_code == 200
    assert 'value="2" checked' in elsewhere.get("/r/answers/1").get_data(as_text=True)

    client.post(f"{round_url}/status", data={"action": "close", "csrf_token": csrf_token(client, round_url)})
    after_closing = closer.post("/r/answers/autosave", data={"item": second, "value": "4"})
    assert after_closing.status_code == 409 and "round is closed" in after_closing.get_json()["error"]
    answers = _db(app, lambda s: s.execute(select(Answer.item_id, Answer.value)).all())
    assert sorted(answers) == sorted([(first, 2), (first, 2), (first, 2), (second, 3)])


def test_autosave_marks_the_respondent_started_once(app, coordinator_round):
    _, _, codes = coordinator_round
    member = start(app, codes[2])
    for item in _items(app)[:3]:
        assert member.post("/r/answers/autosave", data={"item": item, "value": "dk"}).status_code == 200
    started = _db(app, lambda s: s.scalars(select(Respondent.started_at).where(Respondent.started_at.isnot(None))).all())
    assert len(started) == 1
    values = _db(app, lambda s: s.scalars(select(Answer.value)).all())
    assert values == [None, None, None]


def test_autocommit_work_commits_each_statement(app):
    """A statement stays written even when the work fails after it: there is no transaction to roll back."""
    from sqlalchemy import insert

    from wellbeing.db import utcnow
    from wellbeing.tenancy.models import Region

    def write_then_fail(connection):
        connection.execute(insert(Region).values(code="AUTO", name="Autocommit", created_at=utcnow()))
        raise RuntimeError("after the write")

    with app.app_context():
        with pytest.raises(RuntimeError):
            db.autocommit(write_then_fail)
        assert db.session.scalar(select(func.count()).select_from(Region).where(Region.code == "AUTO")) == 1


def test_an_autosave_on_a_dropped_connection_is_saved_on_a_fresh_one(app, database_url, coordinator_round):
    if app.extensions["wellbeing.db"].engine.dialect.name != "postgresql":
        pytest.skip("dropping a server connection needs PostgreSQL (the SQLite run has no server)")
    _, _, codes = coordinator_round
    first, second = _items(app)[:2]
    client = start(app, codes[0])
    assert client.post("/r/answers/autosave", data={"item": first, "value": "3"}).status_code == 200
    # As a server restart would: every connection of the app's pools is dropped.
    with psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as admin:
        dropped = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
    assert dropped >= 1
    assert client.post("/r/answers/autosave", data={"item": second, "value": "4"}).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 2
