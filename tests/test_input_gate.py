"""The one input gate: every route in the URL map, for every role, with hostile input — ids beyond
any integer, NUL bytes, 100,000-character texts and file names, blank choices, a line break in
``next`` — answers with a page (2xx-4xx), never a 5xx. Forms are found on the pages themselves, so a
new route or form is walked without changing this test.
"""
from __future__ import annotations

import io
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from tests import factories
from tests.conftest import csrf_token, english_client, login
from wellbeing import csvout, db
from wellbeing.accounts.models import Role
from wellbeing.tenancy.models import Sharing

HUGE = "99999999999999999999"
LONG = "x" * 100_000
HOSTILE = ("a\x00b", LONG, "   ", HUGE)
SKIP = {"accounts.logout", "auth.end_all_sessions"}  # would end the walk's own session


class Forms(HTMLParser):
    """The forms on a page: action, method, and every field with the value a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "method": (a.get("method") or "get").upper(),
                               "fields": {}, "files": []})
            return
        if tag == "option" and self._select and self.forms:
            fields = self.forms[-1]["fields"]
            if "selected" in a or self._select not in fields:
                fields[self._select] = a.get("value", "")
            return
        if not self.forms or not a.get("name"):
            return
        fields = self.forms[-1]["fields"]
        if tag == "input":
            kind = a.get("type", "text")
            if kind == "file":
                self.forms[-1]["files"].append(a["name"])
            elif kind in ("checkbox", "radio"):
                if "checked" in a or a["name"] not in fields:
                    fields[a["name"]] = a.get("value", "on")
            elif kind != "submit" or a["name"] not in fields:
                fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "textarea":
            self._textarea = a["name"]
            fields[a["name"]] = ""
        elif tag == "button" and a.get("value") is not None:
            fields.setdefault(a["name"], a["value"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _forms(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


@pytest.fixture
def world(app):
    with app.app_context():
        region = factories.region()
        municipality = factories.municipality(region)
        school = factories.school(municipality, gsa_sharing=Sharing.CONTENT)
        users = {
            "platform_admin": factories.user(Role.PLATFORM_ADMIN),
            "region_admin": factories.user(Role.REGION_ADMIN, region),
            "gsa": factories.user(Role.GSA, region),
            "municipality_officer": factories.user(Role.MUNICIPALITY_OFFICER, municipality),
            "school_coordinator": factories.user(Role.SCHOOL_COORDINATOR, school),
        }
        factories.assign(users["gsa"], school)
        ids = _content(school, region, municipality, users["gsa"])
        db.session.commit()
        return {who: user.email for who, user in users.items()}, ids


def _content(school, region, municipality, gsa) -> dict:
    from wellbeing.cycle.models import CycleGroup
    from wellbeing.menucard.models import MenuEntry, MenuStatus
    from wellbeing.plans.models import Action, Goal
    from wellbeing.portfolio.models import VisitNote
    from wellbeing.reports.models import Report, ReportStatus
    from wellbeing.rounds.models import Round, RoundMode
    from wellbeing.vignet.models import Attestation

    round_ = Round(school_id=school.id, school_year="2025-2026", instrument_id="checklist-welbevinden",
                   instrument_version=1, mode=RoundMode.INDIVIDUAL)
    goal = Goal(school_id=school.id, what="A goal")
    db.session.add_all([round_, goal])
    db.session.flush()
    objects = {
        "entry_id": MenuEntry(school_id=school.id, title="Own", pillar="educatie", status=MenuStatus.DOING),
        "action_id": Action(school_id=school.id, goal_id=goal.id, pillar="beleid", title="Act",
                            school_year="2025-2026"),
        "attestation_id": Attestation(school_id=school.id, criterion_id="general.coordinator", note="n",
                                      file_name="e.pdf", file_type="application/pdf", file_size=5, file_data=b"%PDF-"),
        "report_id": Report(school_id=school.id, locale="nl", status=ReportStatus.DONE, content=b"%PDF-", size=5),
        "note_id": VisitNote(school_id=school.id, visited_on=date(2026, 9, 1), text="visit"),
        "group_id": CycleGroup(region_id=region.id, name="A group", members=[municipality]),
    }
    db.session.add_all(objects.values())
    db.session.flush()
    from wellbeing.rounds.service import issue_codes
    code = issue_codes(round_, 1)[0]
    return {"round_id": round_.id, "goal_id": goal.id, "region_id": region.id, "municipality_id": municipality.id,
            "school_id": school.id, "user_id": gsa.id, "token": "not-a-real-token", "filename": "style.css",
            "year": "2025-2026", "part": "plan", "criterion_id": "general.coordinator", "code": code,
            "number": 1, "name": "no-such-provider", "session_id": 1, "item_id": 1, "partner_id": 1,
            "link_id": 1, "need_id": 1, "target_id": 1, "agreement_id": 1,
            **{key: obj.id for key, obj in objects.items()}}


def _urls(app, ids: dict):
    """(endpoint, methods, url with real ids, url with every id beyond any integer)."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP:
            continue
        unknown = set(rule.arguments) - set(ids)
        assert not unknown, f"{rule.rule}: teach this walk what goes in {unknown}"
        real = rule.build({name: ids[name] for name in rule.arguments})[1]
        huge = re.sub(r"<int:\w+>", HUGE, rule.rule)
        huge = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), huge)
        yield rule.endpoint, sorted(rule.methods - {"HEAD", "OPTIONS"}), real, huge


def _client(app, email: str | None):
    client = english_client(app)
    if email:
        assert login(client, email).status_code == 302
    return client


@pytest.mark.parametrize("who", ["anonymous", "platform_admin", "region_admin", "gsa", "municipality_officer",
                                 "school_coordinator"])
def test_hostile_input_on_every_route_gives_a_page_never_a_5xx(app, world, who):
    emails, ids = world
    client = _client(app, emails.get(who))
    token = csrf_token(client, "/login" if who == "anonymous" else "/profile")
    failures, forms = [], []

    def send(method: str, url: str, **kwargs) -> None:
        try:  # the test client raises what would have been a 500
            response = client.open(url, method=method, **kwargs)
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{method} {url[:120]} {str(kwargs.get('data'))[:200]!r} -> {type(exc).__name__}")
            return
        if response.status_code >= 500:
            failures.append(f"{method} {url[:120]} {str(kwargs.get('data'))[:200]!r} -> {response.status_code}")

    for _, methods, real, huge in _urls(app, ids):
        for method in methods:
            send(method, huge, data={"csrf_token": token})
            send(method, real + "?next=/%0Aabc&q=a%00b&page=" + HUGE, data={"csrf_token": token, "next": "/\nabc"})
            if method == "GET":
                page = client.get(real)
                if page.status_code < 500 and page.mimetype == "text/html":
                    forms += [(real, f) for f in _forms(page.get_data(as_text=True)) if f["method"] == "POST"]
                elif page.status_code >= 500:
                    failures.append(f"GET {real} -> {page.status_code}")
    assert who == "anonymous" or forms, "no forms found: the walk is blind"
    seen = set()
    for page_url, form in forms:
        action = form["action"] or page_url
        if (action, tuple(sorted(form["fields"]))) in seen:
            continue
        seen.add((action, tuple(sorted(form["fields"]))))
        fields = {**form["fields"], "csrf_token": token}
        for name in [n for n in fields if n != "csrf_token"] + form["files"]:
            for value in HOSTILE:
                data = {**fields}
                if name in form["files"]:
                    data[name] = (io.BytesIO(b"%PDF-1.4 x"), LONG + ".pdf")
                else:
                    data[name] = value
                send("POST", action, data=data, content_type="multipart/form-data")
                if name in form["files"]:
                    break
    assert not failures, "\n".join(failures[:40])


def test_an_id_beyond_a_postgresql_integer_is_a_404(app, world):
    emails, ids = world
    client = _client(app, emails["school_coordinator"])
    assert client.get(f"/school/{ids['school_id']}").status_code == 200
    assert client.get(f"/school/{HUGE}").status_code == 404
    assert client.get(f"/school/{2**31}").status_code == 404
    assert client.get(f"/region/{HUGE}/overview").status_code == 404


def test_a_nul_byte_in_any_text_is_refused_with_a_message_and_nothing_is_saved(app, world):
    from wellbeing.accounts.models import User

    emails, _ = world
    client = _client(app, emails["school_coordinator"])
    response = client.post("/profile", data={"csrf_token": csrf_token(client, "/profile"), "name": "Ann\x00e",
                                             "locale": "en"})
    assert response.status_code == 400 and "control character" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.name.contains("Ann"))) == 0


def test_every_form_inherits_the_base_form_with_its_checks(app):
    from flask_wtf import FlaskForm

    from wellbeing.forms import MAX_TEXT, BaseForm
    import wellbeing.models  # noqa: F401 - imports every feature

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)
    forms = [f for f in subclasses(FlaskForm) if f.__module__.startswith("wellbeing.")]
    assert len(forms) > 10
    assert [f.__name__ for f in forms if not issubclass(f, BaseForm)] == []

    from werkzeug.datastructures import MultiDict

    from wellbeing.plans.forms import GoalForm
    from wellbeing.rounds.forms import InviteEmailsForm
    with app.test_request_context():
        form = GoalForm(MultiDict({"what": "a\x00b", "item_id": "   "}), meta={"csrf": False})
        form.target_year.choices = form.element_id.choices = form.item_id.choices = [("", "-"), ("1", "one")]
        assert not form.validate()
        assert "NUL" in str(form.what.errors)  # refused with a message on the field
        assert form.item_id.data == "" and not form.item_id.errors  # blanks are no choice, not a ValueError
        unbounded = InviteEmailsForm(MultiDict({"addresses": "a@example.org " * MAX_TEXT}), meta={"csrf": False})
        assert not unbounded.validate() and str(MAX_TEXT) in str(unbounded.addresses.errors)


def test_a_refused_post_by_a_gsa_leaves_no_trace_in_the_schools_log(app, world):
    from wellbeing.audit import AuditEntry

    emails, ids = world
    gsa = _client(app, emails["gsa"])
    card = f"/school/{ids['school_id']}/menu-card"
    assert gsa.get(card).status_code == 200  # a look at shared content is logged ...
    with app.app_context():
        seen = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "content.viewed"))
    assert seen == 1
    refused = gsa.post(card, data={"csrf_token": csrf_token(gsa, "/profile")})
    assert refused.status_code == 403  # ... a refused change is not
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == "content.viewed")) == seen


def test_next_with_a_line_break_or_backslash_goes_home_and_login_still_works(app, world):
    emails, _ = world
    for target in ("/%0Aabc", "/%5Cevil.example", "/%5C%5Cevil.example", "/ok%00", "/ok%0D%0ASet-Cookie:x=1"):
        client = english_client(app)
        response = client.post(f"/login?next={target}", data={
            "csrf_token": csrf_token(client, "/login"), "email": emails["school_coordinator"],
            "password": factories.PASSWORD})
        assert response.status_code in (302, 400), target
        if response.status_code == 302:  # logged in, and sent home rather than to the target
            assert response.headers["Location"] == "/", (target, response.headers["Location"])


def test_every_csv_cell_a_spreadsheet_would_run_is_neutralised():
    text = csvout.to_csv([["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "plain", -1, 2.5, None, True]])
    assert text.strip() == "'=1+1;'+1;'-1;'@SUM(A1);'\tx;\"'\rx\";plain;-1;2.5;;yes"


def test_exports_neutralise_formulas_from_the_schools_own_text(app):
    from tests.school_content import coordinator_client

    client, school_id = coordinator_client(app)
    card = f"/school/{school_id}/menu-card"
    client.post(f"{card}/own", data={"csrf_token": csrf_token(client, card), "pillar": "educatie",
                                     "title": "=HYPERLINK(\"http://evil\")", "new-status": "doing"})
    text = client.get(f"/school/{school_id}/export/menu-card.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text and ";=HYPERLINK" not in text


def test_import_schools_refuses_a_nul_byte_with_the_line_number_and_no_traceback(app, database_url, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    with app.app_context():
        factories.region(code="RNUL")
        db.session.commit()
    path = tmp_path / "schools.csv"
    path.write_text("BRIN;vestigingsnummer;naam;type;gemeentecode;gemeentenaam\n"
                    "12AB;00;Good school;po;GM0344;Utrecht\n"
                    "13AB;00;Bad\x00school;po;GM0344;Utrecht\n")
    env = {**os.environ, "DATABASE_URL": database_url, "WELLBEING_INSTANCE_PATH": app.instance_path}
    env.pop("REDIS_URL", None)
    result = subprocess.run([str(Path(sys.executable).parent / "wellbeing"), "import-schools", str(path),
                             "--region", "RNUL"],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert f"{path}:3: contains a control character" in result.stderr
    assert f"{path}:2:" not in result.stderr
