"""The readiness page: criteria evaluated on the school's data, attestations with checked evidence,
certificates valid three years with a countdown."""
from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import csrf_token
from tests.school_content import coordinator_client, gsa_client
from wellbeing import db
from wellbeing.schoolyear import SchoolYear
from wellbeing.tenancy.models import Sharing
from wellbeing.vignet.models import Attestation, Certificate

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _criteria(app, school_type="po"):
    return app.extensions["wellbeing.instruments"].vignet_criteria(school_type, SchoolYear.current())


def _attestable(app) -> str:
    return next(c.id for c in _criteria(app).criteria if c.rule.type == "attestation")


def _met(page: str) -> int:
    import re
    return int(re.search(r"(\d+) of (\d+) criteria met", page).group(1))


def test_readiness_goes_up_as_the_menu_card_and_attestations_are_filled_in(app):
    client, school_id = coordinator_client(app)
    url = f"/school/{school_id}/vignet"
    page = client.get(url).get_data(as_text=True)
    total = len(_criteria(app).criteria)
    assert f"0 of {total} criteria met" in page and "Needs attestation" in page and "Missing" in page

    criterion = _attestable(app)
    token = csrf_token(client, url)
    saved = client.post(f"{url}/attest/{criterion}", data={
        "csrf_token": token, "note": "See the school plan, chapter 3",
        "file": (io.BytesIO(PDF), "schoolplan.pdf")}, content_type="multipart/form-data")
    assert saved.status_code == 302
    after_attest = client.get(url).get_data(as_text=True)
    assert _met(after_attest) == 1 and "Evidence: schoolplan.pdf" in after_attest

    card_url = f"/school/{school_id}/menu-card"
    activities = _menu_activities(app)
    form = {"csrf_token": csrf_token(client, card_url)}
    for activity in activities:
        form[f"a-{activity}-status"] = "doing"
    assert client.post(card_url, data=form).status_code == 302
    assert _met(client.get(url).get_data(as_text=True)) > 1


def _menu_activities(app) -> list[str]:
    """Every activity the po criteria name, so marking them all meets at least one menu rule."""
    return sorted({activity for _, activity in _criteria(app).activity_links()})


def test_evidence_files_are_checked_by_type_content_and_size_and_nothing_is_stored_when_refused(app):
    client, school_id = coordinator_client(app)
    url = f"/school/{school_id}/vignet"
    criterion = _attestable(app)
    cases = [
        ((io.BytesIO(b"MZ\x90\x00 windows program"), "tool.exe"), "Choose a PDF, PNG, JPEG"),
        ((io.BytesIO(b"<html>not a pdf</html>"), "fake.pdf"), "does not match its type"),
        ((io.BytesIO(b"%PDF-" + b"0" * (5 * 1024 * 1024)), "big.pdf"), "larger than 5 MB"),
        ((io.BytesIO(b""), "empty.pdf"), "The file is empty."),
    ]
    for upload, message in cases:
        response = client.post(f"{url}/attest/{criterion}", data={
            "csrf_token": csrf_token(client, url), "note": "typed note survives", "file": upload},
            content_type="multipart/form-data")
        body = response.get_data(as_text=True)
        assert response.status_code == 400 and message in body, message
        assert "typed note survives" in body
    nothing = client.post(f"{url}/attest/{criterion}", data={"csrf_token": csrf_token(client, url), "note": " "})
    assert nothing.status_code == 400 and "Write a note or add a file" in nothing.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Attestation.id)) is None


def test_a_too_large_request_gets_a_clear_page_not_a_crash(app):
    client, school_id = coordinator_client(app)
    url = f"/school/{school_id}/vignet"
    response = client.post(f"{url}/attest/{_attestable(app)}", data={
        "csrf_token": csrf_token(client, url), "file": (io.BytesIO(b"%PDF-" + b"0" * (9 * 1024 * 1024)), "x.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 413 and "File too large" in response.get_data(as_text=True)


def test_only_attestation_criteria_can_be_attested(app):
    client, school_id = coordinator_client(app)
    url = f"/school/{school_id}/vignet"
    data_rule = next(c.id for c in _criteria(app).criteria if c.rule.type != "attestation")
    for criterion in (data_rule, "no.such-criterion"):
        response = client.post(f"{url}/attest/{criterion}", data={"csrf_token": csrf_token(client, url),
                                                                  "note": "trust me"})
        assert response.status_code == 404


def test_evidence_is_served_as_a_download_to_the_school_and_withdrawn_on_request(app):
    client, school_id = coordinator_client(app, sharing=Sharing.CONTENT)
    url = f"/school/{school_id}/vignet"
    criterion = _attestable(app)
    client.post(f"{url}/attest/{criterion}", data={"csrf_token": csrf_token(client, url), "note": "",
                                                   "file": (io.BytesIO(PDF), "plan.pdf")},
                content_type="multipart/form-data")
    with app.app_context():
        attestation_id = db.session.scalar(select(Attestation.id))
    download = client.get(f"{url}/evidence/{attestation_id}")
    assert download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    gsa = gsa_client(app, school_id)
    assert gsa.get(f"{url}/evidence/{attestation_id}").data == PDF  # the school shares its content
    assert gsa.post(f"{url}/attest/{criterion}/withdraw", data={"csrf_token": csrf_token(gsa, url)}).status_code == 403
    client.post(f"{url}/attest/{criterion}/withdraw", data={"csrf_token": csrf_token(client, url)})
    assert client.get(f"{url}/evidence/{attestation_id}").status_code == 404


def test_a_certificate_is_valid_three_years_and_the_page_counts_down_to_renewal(app):
    client, school_id = coordinator_client(app)
    url = f"/school/{school_id}/vignet"
    future = client.post(f"{url}/certificates", data={"csrf_token": csrf_token(client, url),
                                                      "awarded_on": (date.today() + timedelta(days=3)).isoformat()})
    assert future.status_code == 400 and "cannot be in the future" in future.get_data(as_text=True)
    garbage = client.post(f"{url}/certificates", data={"csrf_token": csrf_token(client, url), "awarded_on": "soon"})
    assert garbage.status_code == 400 and "Not a valid date value" in garbage.get_data(as_text=True)
    awarded = date.today() - timedelta(days=1000)
    saved = client.post(f"{url}/certificates", data={"csrf_token": csrf_token(client, url),
                                                     "awarded_on": awarded.isoformat(), "note": "po vignet"})
    assert saved.status_code == 302
    with app.app_context():
        certificate = db.session.scalar(select(Certificate))
        assert certificate.expires_on == awarded.replace(year=awarded.year + 3)
    days_left = (certificate.expires_on - date.today()).days
    page = client.get(url).get_data(as_text=True)
    assert f"{days_left} days left" in page and "Apply for renewal now" in page  # under half a year left


def test_a_valid_file_with_a_name_in_another_script_is_accepted_under_a_safe_name(app):
    client, school_id = coordinator_client(app)
    url = f"/school/{school_id}/vignet"
    saved = client.post(f"{url}/attest/{_attestable(app)}", data={
        "csrf_token": csrf_token(client, url), "note": "", "file": (io.BytesIO(PDF), "план школы.pdf")},
        content_type="multipart/form-data")
    assert saved.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Attestation.file_name)) == "evidence.pdf"


def test_an_attestation_older_than_its_validity_stops_counting_until_it_is_given_again(app):
    client, school_id = coordinator_client(app)
    url = f"/school/{school_id}/vignet"
    criterion = _attestable(app)
    valid_months = next(c.rule.valid_months for c in _criteria(app).criteria if c.id == criterion)
    client.post(f"{url}/attest/{criterion}", data={"csrf_token": csrf_token(client, url), "note": "Schoolplan, p. 4"})
    assert _met(client.get(url).get_data(as_text=True)) == 1
    with app.app_context():
        row = db.session.scalar(select(Attestation))
        row.attested_at -= timedelta(days=31 * (valid_months + 1))
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert _met(page) == 0
    assert f"older than {valid_months} months and no longer counts" in page and "Schoolplan, p. 4" in page
    client.post(f"{url}/attest/{criterion}", data={"csrf_token": csrf_token(client, url), "note": "Schoolplan 2026"})
    page = client.get(url).get_data(as_text=True)
    assert _met(page) == 1 and "no longer counts" not in page
