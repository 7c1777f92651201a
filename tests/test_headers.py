"""Security headers come from the app on every response, errors and JSON included."""
import re

from wellbeing.headers import HEADERS


def test_pages_errors_and_json_carry_the_security_headers(app, client):
    responses = {
        "page": client.get("/login"),
        "not found": client.get("/no/such/page"),
        "json": client.post("/r/ABCDE-FGHJK/autosave", data={"item": "x", "value": "1"}),
        "health": client.get("/healthz"),
    }
    for what, response in responses.items():
        for name, value in HEADERS.items():
            assert response.headers.get(name) == value, f"{what}: {name}"


def test_the_policy_allows_no_inline_script_or_style():
    policy = dict(part.split(" ", 1) for part in HEADERS["Content-Security-Policy"].split("; "))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert "unsafe" not in HEADERS["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"


def test_templates_have_no_inline_style_or_script():
    from pathlib import Path
    templates = Path(__file__).resolve().parent.parent / "wellbeing" / "templates"
    found = [f"{path.name}: {match.group(0)}" for path in templates.rglob("*.html")
             for match in re.finditer(r"\sstyle=|<style|<script(?![^>]*\ssrc=)|\son[a-z]+=", path.read_text())]
    assert found == []


def test_pages_and_exports_are_never_stored_but_static_files_may_be(app, client):
    """A shared computer's browser must not keep a school's content after logout."""
    from tests.school_content import coordinator_client

    school_client, school_id = coordinator_client(app)
    for url in (f"/school/{school_id}", f"/school/{school_id}/plan", f"/school/{school_id}/export/plan.csv",
                f"/school/{school_id}/export.xlsx", "/profile"):
        response = school_client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
    static = client.get("/static/style.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")
