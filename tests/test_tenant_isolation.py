"""Walk every route in the URL map as users of other tenants, with real ids of foreign objects.

A new route is covered automatically; a route with a URL parameter this walk does not know fails
the test until someone decides which foreign object to put in it.
"""
from __future__ import annotations

from datetime import date

import pytest

from tests import factories
from tests.conftest import csrf_token, login
from wellbeing import db
from wellbeing.accounts.models import Role
from wellbeing.auth.models import LoginSession
from wellbeing.tenancy.models import Sharing

PUBLIC_ENDPOINTS = {"static", "accounts.login", "accounts.reset_request", "accounts.reset_password",
                    "accounts.accept_invitation", "accounts.logout", "i18n.switch_language",
                    "respond.enter", "respond.link", "respond.page", "respond.autosave", "respond.review", "respond.resume",
                    "health.healthz", "health.readyz",
                    # a region's colour and logo are its public house style, and the statement is public
                    "theme.stylesheet", "theme.logo", "theme.favicon", "about.accessibility",
                    # The steps between password and session, and ending all of one's own sessions
                    # (which would end the walk's own session too).
                    "auth.code", "auth.enrol", "auth.end_all_sessions",
                    "federation.start", "federation.callback", "federation.link_from_invitation"}


@pytest.fixture
def world(app, ctx):
    """Two regions; the victim's objects carry marker names that must never show to the attacker."""
    victim_region = factories.region(name="VICTIM-REGION")
    victim_mun = factories.municipality(victim_region, name="VICTIM-MUNICIPALITY")
    victim_school = factories.school(victim_mun, name="VICTIM-SCHOOL", gsa_sharing=Sharing.CONTENT)
    victim_gsa = factories.user(Role.GSA, victim_region, name="VICTIM-GSA", email="victim-gsa@example.org")
    factories.assign(victim_gsa, victim_school)
    factories.user(Role.SCHOOL_COORDINATOR, victim_school, name="VICTIM-COORDINATOR",
                   email="victim-coordinator@example.org")

    own_region = factories.region(name="Own region")
    own_mun = factories.municipality(own_region)
    # A school in the victim's municipality the attacker GSA does have, to test the portfolio edge.
    neighbour = factories.school(victim_mun, name="Neighbour school")
    own_school = factories.school(own_mun)
    attackers = {
        "region_admin": factories.user(Role.REGION_ADMIN, own_region),
        "municipality_officer": factories.user(Role.MUNICIPALITY_OFFICER, own_mun),
        "school_coordinator": factories.user(Role.SCHOOL_COORDINATOR, own_school),
        "gsa_same_region_without_school": factories.user(Role.GSA, victim_region),
        "gsa_other_region": factories.user(Role.GSA, own_region),
        "officer_same_region": factories.user(Role.MUNICIPALITY_OFFICER, factories.municipality(victim_region)),
    }
    factories.assign(attackers["gsa_same_region_without_school"], neighbour)
    from wellbeing.rounds.models import Round, RoundMode
    victim_round = Round(school_id=victim_school.id, school_year="2025-2026", instrument_id="checklist-welbevinden",
                         instrument_version=1, mode=RoundMode.INDIVIDUAL)
    db.session.add(victim_round)
    content = _victim_content(victim_school)
    content["session_id"] = LoginSession(user_id=victim_gsa.id, token_hash="0" * 64)
    db.session.add(content["session_id"])
    db.session.commit()
    ids = {"round_id": victim_round.id, "region_id": victim_region.id, "municipality_id": victim_mun.id,
           "school_id": victim_school.id, "user_id": victim_gsa.id, "token": "not-a-real-token",
           "filename": "style.css", "year": "2025-2026", "part": "plan", "criterion_id": "general.coordinator",
           "number": 1,
           **{key: obj.id for key, obj in content.items()}}
    return attackers, ids


def _victim_content(school) -> dict:
    """One of every school-owned object, each with a marker in its text."""
    from wellbeing.menucard.models import MenuEntry, MenuStatus
    from wellbeing.plans.models import Action, Goal
    from wellbeing.portfolio.models import VisitNote
    from wellbeing.reports.models import Report, ReportStatus
    from wellbeing.vignet.models import Attestation

    goal = Goal(school_id=school.id, what="VICTIM-GOAL")
    db.session.add(goal)
    db.session.flush()
    objects = {
        "entry_id": MenuEntry(school_id=school.id, title="VICTIM-ACTIVITY", pillar="educatie",
                              status=MenuStatus.DOING),
        "goal_id": goal,
        "action_id": Action(school_id=school.id, goal_id=goal.id, pillar="beleid", title="VICTIM-ACTION",
                            school_year="2025-2026"),
        "attestation_id": Attestation(school_id=school.id, criterion_id="general.coordinator", note="VICTIM-NOTE",
                                      file_name="victim.pdf", file_type="application/pdf", file_size=9,
                                      file_data=b"%PDF-VICTIM"),
        "report_id": Report(school_id=school.id, locale="nl", status=ReportStatus.DONE, content=b"%PDF-VICTIM",
                            size=11),
        "note_id": VisitNote(school_id=school.id, visited_on=date(2026, 9, 1), text="VICTIM-VISIT"),
    }
    db.session.add_all(o for o in objects.values() if o is not goal)
    db.session.flush()
    return objects | _victim_offer(school) | _victim_cycle(school)


def _victim_offer(school) -> dict:
    """The victim municipality's offer, with a private note, and the victim school's link to it."""
    from wellbeing.offer.models import LinkKind, OfferItem, OfferLink, Partner, PartnerKind

    partner = Partner(region_id=school.municipality.region_id, name="VICTIM-PARTNER", kind=PartnerKind.YOUTH_WORK)
    db.session.add(partner)
    db.session.flush()
    item = OfferItem(region_id=partner.region_id, partner_id=partner.id, title="VICTIM-OFFER", level="universal",
                     pillar="omgeving", school_types="po", age_min=4, age_max=12, private_note="VICTIM-PRIVATE",
                     municipalities=[school.municipality])
    db.session.add(item)
    db.session.flush()
    link = OfferLink(school_id=school.id, item_id=item.id, kind=LinkKind.USES, activity_id="omgeving.youth-workers")
    db.session.add(link)
    db.session.flush()
    return {"partner_id": partner, "item_id": item, "link_id": link}


def _victim_cycle(school) -> dict:
    """The victim municipality's cycle: a need, a target with an evaluation, an agreement, a PDF; and
    a group of municipalities with the victim's municipality in it, with a need of its own."""
    from wellbeing.cycle.models import Agreement, CycleGroup, CycleReport, Evaluation, Need, Target
    from wellbeing.reports.models import ReportStatus

    municipality = school.municipality
    target = Target(municipality_id=municipality.id, ambition="VICTIM-AMBITION", indicator="participation",
                    school_type="po", threshold=70, by_year="2028-2029")
    db.session.add(target)
    db.session.flush()
    objects = {"need_id": Need(municipality_id=municipality.id, sector="jgz", level="universal", text="VICTIM-NEED"),
               "target_id": target,
               "agreement_id": Agreement(municipality_id=municipality.id, what="VICTIM-AGREEMENT", who="GGD",
                                         forum="lea", status="planned", target_id=target.id),
               "cycle_report": CycleReport(municipality_id=municipality.id, locale="nl", status=ReportStatus.DONE,
                                           content=b"%PDF-CYCLE-VICTIM", size=17)}
    db.session.add_all(o for o in objects.values() if o is not target)
    db.session.add(Evaluation(target_id=target.id, school_year="2025-2026", note="VICTIM-EVALUATION"))
    group = CycleGroup(region_id=municipality.region_id, name="VICTIM-GROUP", members=[municipality])
    db.session.add(group)
    db.session.flush()
    db.session.add(Need(group_id=group.id, sector="jgz", level="universal", text="VICTIM-GROUP-NEED"))
    db.session.flush()
    return objects | {"group_id": group}


MARKERS = ("VICTIM-REGION", "VICTIM-SCHOOL", "VICTIM-GSA", "VICTIM-COORDINATOR", "victim-gsa@", "victim-coordinator@",
           "VICTIM-GOAL", "VICTIM-ACTION", "VICTIM-ACTIVITY", "VICTIM-NOTE", "%PDF-VICTIM", "VICTIM-VISIT",
           "VICTIM-PARTNER", "VICTIM-OFFER", "VICTIM-PRIVATE", "VICTIM-NEED", "VICTIM-AMBITION",
           "VICTIM-AGREEMENT", "VICTIM-EVALUATION", "%PDF-CYCLE-VICTIM", "VICTIM-GROUP")
CYCLE_MARKERS = {"VICTIM-NEED", "VICTIM-AMBITION", "VICTIM-AGREEMENT", "VICTIM-EVALUATION", "%PDF-CYCLE-VICTIM",
                 "VICTIM-GROUP", "VICTIM-GROUP-NEED"}


# Users who belong to the victim's region may see that region's own name, nothing more.
ALLOWED = {"gsa_same_region_without_school": {"VICTIM-REGION"}, "officer_same_region": {"VICTIM-REGION"}}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            continue
        yield rule


def _works_on_victim_cycle(who: str, rule) -> bool:
    # GSAs of the victim region work on the cycle of its municipalities with the officer, by design.
    return who == "gsa_same_region_without_school" and rule.endpoint.startswith("cycle.")


def _allowed_to_see_victim_municipality(who: str, rule) -> bool:
    # GSAs of the victim region see that region's anonymised overviews (aggregate level), by design.
    return who == "gsa_same_region_without_school" and rule.endpoint.startswith("overview.")


def _keeps_victim_offer(who: str, rule) -> bool:
    # GSAs of the victim region help keep the offer of its municipalities, by design: they see the
    # partners and offers there (never the private notes), but no school's links to them.
    return (who == "gsa_same_region_without_school" and rule.endpoint.startswith("offer.")
            and "school_id" not in rule.arguments)


@pytest.mark.parametrize("who", ["region_admin", "municipality_officer", "school_coordinator",
                                 "gsa_same_region_without_school", "gsa_other_region", "officer_same_region"])
def test_no_route_shows_another_tenants_data(app, world, client, who):
    attackers, ids = world
    assert login(client, attackers[who].email).status_code == 302
    token = csrf_token(client, "/profile")
    checked = 0
    for rule in _routes(app):
        unknown = set(rule.arguments) - set(ids)
        assert not unknown, f"{rule.rule}: teach this walk which foreign object goes in {unknown}"
        url = rule.build({name: ids[name] for name in rule.arguments})[1]
        if _allowed_to_see_victim_municipality(who, rule):
            continue
        keeper = _keeps_victim_offer(who, rule) or _works_on_victim_cycle(who, rule)
        allowed = (ALLOWED.get(who, set()) | ({"VICTIM-PARTNER", "VICTIM-OFFER"} if keeper else set())
                   | (CYCLE_MARKERS if _works_on_victim_cycle(who, rule) else set()))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"csrf_token": token})
            body = response.get_data(as_text=True)
            leaked = [m for m in MARKERS if m in body and m not in allowed]
            assert not leaked, f"{method} {url} as {who} shows {leaked}"
            if rule.arguments - {"token", "filename"} and not keeper:
                assert response.status_code == 404, f"{method} {url} as {who} gave {response.status_code}"
            checked += 1
    assert checked > 5


def test_gsa_sees_a_school_only_while_it_is_in_the_portfolio(app, world, client):
    attackers, ids = world
    gsa = attackers["gsa_same_region_without_school"]
    login(client, gsa.email)
    assert client.get(f"/school/{ids['school_id']}").status_code == 404
    from wellbeing.tenancy.models import School
    factories.assign(gsa, db.session.get(School, ids["school_id"]))
    db.session.commit()
    assert client.get(f"/school/{ids['school_id']}").status_code == 200
