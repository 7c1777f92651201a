"""Does a GSA who may read a school's content ever see a control they may not use?

Every GET page under a sharing demo school is walked as its GSA. Any form that posts somewhere
other than the few places a GSA may write (logout, language, their own visit notes) must not be
there at all, or have every one of its controls disabled: a reading GSA should not find out only
after submitting that the form was not theirs.
"""
from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import select

from tests.conftest import english_client, login
from wellbeing import db
from wellbeing.accounts.models import PortfolioAssignment, Role, User
from wellbeing.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, load_demo
from wellbeing.plans.models import Action, Goal
from wellbeing.reports.models import Report
from wellbeing.rounds.models import Round
from wellbeing.tenancy.models import School, Sharing
from wellbeing.vignet.models import Attestation

GSA_MAY_POST = ("/logout", "/language", "/portfolio/")
CONTROLS = {"input", "select", "textarea", "button"}


class _Forms(HTMLParser):
    """The post forms of a page with their action and the controls that are not disabled."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[str]]] = []
        self._current: tuple[str, list[str]] | None = None
        self._fieldsets: list[bool] = []  # disabled or not, innermost last

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "get").lower() == "post":
            self._current = (attributes.get("action") or "", [])
            self.forms.append(self._current)
        elif tag == "fieldset":
            self._fieldsets.append("disabled" in attributes)
        elif self._current is not None and tag in CONTROLS:
            hidden = tag == "input" and attributes.get("type") == "hidden"
            if not hidden and "disabled" not in attributes and not any(self._fieldsets):
                self._current[1].append(f"<{tag} {attributes.get('name') or attributes.get('type') or ''}>")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()


def _enabled_foreign_forms(html: str, page: str) -> list[str]:
    parser = _Forms()
    parser.feed(html)
    return [f"{page}: form to {action or page} has {controls}" for action, controls in parser.forms
            if controls and not action.startswith(GSA_MAY_POST)]


def _values_for(school: School) -> dict[str, object]:
    def first(query):
        return db.session.scalar(query.limit(1))

    round_ = first(select(Round).where(Round.school_id == school.id).order_by(Round.id.desc()))
    report = Report(school_id=school.id, locale="en")
    db.session.add(report)
    db.session.flush()
    return {"school_id": school.id, "round_id": round_.id,
            "goal_id": first(select(Goal.id).where(Goal.school_id == school.id)),
            "action_id": first(select(Action.id).where(Action.school_id == school.id)),
            "year": round_.school_year, "report_id": report.id, "number": 1,
            "attestation_id": first(select(Attestation.id).where(Attestation.school_id == school.id)) or 1}


def test_a_reading_gsa_is_shown_no_form_it_may_not_submit(app):
    with app.app_context():
        load_demo()
        gsa = db.session.scalar(select(User).where(User.email == "gsa@demo.welbevinden.nl"))
        school = db.session.scalar(select(School).join(PortfolioAssignment,
                                                        PortfolioAssignment.school_id == School.id)
                                   .where(PortfolioAssignment.user_id == gsa.id,
                                          School.id.in_(select(Round.school_id))).order_by(School.id))
        school.gsa_sharing = Sharing.CONTENT
        values = _values_for(school)
        db.session.commit()
        assert Role.GSA in gsa.roles()
    client = english_client(app)
    assert login(client, "gsa@demo.welbevinden.nl", DEMO_PASSWORD, DEMO_TOTP_SECRET).status_code == 302

    problems, walked, pages = [], 0, set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/school/") or "GET" not in rule.methods:
            continue
        if any(name not in values or values[name] is None for name in rule.arguments):
            continue
        url = rule.build({name: values[name] for name in rule.arguments})[1]
        response = client.get(url)
        if response.status_code in (403, 404) or response.mimetype != "text/html":
            continue  # a page the GSA may not open at all shows no form either
        assert response.status_code == 200, f"GET {url} gave {response.status_code}"
        problems += _enabled_foreign_forms(response.get_data(as_text=True), url)
        walked += 1
        pages.add(rule.endpoint)
    assert walked >= 10
    assert {"rounds.team", "meeting.start", "meeting.statement"} <= pages  # the team meeting's pages too
    assert problems == [], "\n".join(problems)


def test_the_checker_finds_an_enabled_form():
    """The walk above can fail: a plain enabled form is reported, a disabled one is not."""
    page = ('<form method="post" action="/school/1/plan/settings"><input type="hidden" name="csrf_token">'
            '<input name="years"><button type="submit">Save</button></form>'
            '<form method="post" action="/school/1/menu-card"><input name="x" disabled>'
            '<fieldset disabled><fieldset><select name="y"></select></fieldset></fieldset></form>'
            '<form method="post" action="/logout"><button>Log out</button></form>')
    assert _enabled_foreign_forms(page, "/p") == ["/p: form to /school/1/plan/settings has "
                                                  "['<input years>', '<button submit>']"]
