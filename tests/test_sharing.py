"""The school decides what its GSA sees; every look at its content from outside is in its log."""
from tests import factories
from tests.conftest import csrf_token, english_client, login
from wellbeing import db
from wellbeing.accounts.models import Role


def _setup(app):
    with app.app_context():
        region = factories.region()
        school = factories.school(factories.municipality(region), name="De Gedeelde School")
        coordinator = factories.user(Role.SCHOOL_COORDINATOR, school)
        gsa = factories.user(Role.GSA, region, name="Gea Adviseur")
        factories.assign(gsa, school)
        db.session.commit()
        return school.id, coordinator.email, gsa.email


def test_gsa_reaches_content_only_while_shared_and_each_look_is_logged(app):
    school_id, coordinator_email, gsa_email = _setup(app)
    school_client, gsa_client = english_client(app), english_client(app)
    login(school_client, coordinator_email)
    login(gsa_client, gsa_email)
    rounds = f"/school/{school_id}/rounds"
    assert gsa_client.get(f"/school/{school_id}").status_code == 200  # progress level
    assert gsa_client.get(rounds).status_code == 404

    token = csrf_token(school_client, f"/school/{school_id}")
    school_client.post(f"/school/{school_id}/sharing", data={"gsa_sharing": "content", "csrf_token": token})
    assert gsa_client.get(rounds).status_code == 200
    gsa_client.get(f"/school/{school_id}/rounds")
    gsa_client.get(f"/school/{school_id}/menu-card")
    log = school_client.get(f"/school/{school_id}/log").get_data(as_text=True)
    assert "Gea Adviseur (Gezonde School adviser)" in log and "Content opened from outside the school" in log
    assert "Checklist rounds, Menu card" in log and "(3 pages)" in log, "a day's views fold into one line"
    assert "Sharing with the GSA changed" in log and "(Progress and content)" in log
    assert rounds not in log, "the log names the school's parts, not raw paths"
    views_only = school_client.get(f"/school/{school_id}/log?kind=views").get_data(as_text=True)
    assert "Gea Adviseur" in views_only and "Sharing with the GSA changed" not in views_only
    changes = school_client.get(f"/school/{school_id}/log?kind=changes").get_data(as_text=True)
    assert "Sharing with the GSA changed" in changes and "Gea Adviseur" not in changes
    assert school_client.get(f"/school/{school_id}/log?kind=%00").status_code == 400  # the input gate

    school_client.post(f"/school/{school_id}/sharing", data={"gsa_sharing": "progress", "csrf_token": token})
    assert gsa_client.get(rounds).status_code == 404


def test_only_the_school_changes_its_sharing_and_reads_its_log(app):
    school_id, _, gsa_email = _setup(app)
    gsa_client = english_client(app)
    login(gsa_client, gsa_email)
    token = csrf_token(gsa_client, "/profile")
    assert gsa_client.post(f"/school/{school_id}/sharing",
                           data={"gsa_sharing": "content", "csrf_token": token}).status_code == 404
    assert gsa_client.get(f"/school/{school_id}/log").status_code == 404


def test_a_tampered_sharing_value_is_refused_with_a_message(app):
    school_id, coordinator_email, _ = _setup(app)
    client = english_client(app)
    login(client, coordinator_email)
    token = csrf_token(client, f"/school/{school_id}")
    page = client.post(f"/school/{school_id}/sharing", data={"gsa_sharing": "everything", "csrf_token": token},
                       follow_redirects=True)
    assert "Choose what your GSA may see." in page.get_data(as_text=True)


def test_a_gsa_who_may_read_the_content_can_change_nothing(app):
    """Every POST under a school, walked from the URL map: reading shared content is not editing it."""
    school_id, _, gsa_email = _setup(app)
    with app.app_context():
        from wellbeing.tenancy.models import School, Sharing
        db.session.get(School, school_id).gsa_sharing = Sharing.CONTENT
        db.session.commit()
    gsa_client = english_client(app)
    login(gsa_client, gsa_email)
    token = csrf_token(gsa_client, f"/school/{school_id}")
    values = {"school_id": school_id, "round_id": 1, "goal_id": 1, "action_id": 1, "entry_id": 1,
              "criterion_id": "general.coordinator", "year": "2026-2027", "report_id": 1, "attestation_id": 1,
              "link_id": 1, "number": 1}
    walked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/school/") or "POST" not in rule.methods or rule.endpoint == "home.sharing":
            continue
        url = rule.build({name: values[name] for name in rule.arguments})[1]
        response = gsa_client.post(url, data={"csrf_token": token})
        assert response.status_code == 403, f"POST {url} gave {response.status_code}"
        walked += 1
    assert walked >= 15
    with app.app_context():
        from sqlalchemy import select

        from wellbeing.audit import AuditEntry
        assert set(db.session.scalars(select(AuditEntry.action))) <= {"content.viewed"}
